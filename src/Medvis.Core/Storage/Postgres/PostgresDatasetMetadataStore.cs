using Medvis.Core.Data.Metadata;
using static Medvis.Core.Storage.Postgres.PostgresDocuments;

namespace Medvis.Core.Storage.Postgres;

/// <summary>Dataset metadata in table <c>dataset_metadata</c>, one bytea row of JSON per dataset (dropped with its dataset).</summary>
internal sealed class PostgresDatasetMetadataStore(PostgresDocuments documents) : IDatasetMetadataStore
{
    public void Save(DatasetMetadata metadata) =>
        documents.Execute(
            "INSERT INTO dataset_metadata (dataset_id, data) VALUES (@dataset, @data) ON CONFLICT (dataset_id) DO UPDATE SET data = excluded.data",
            Parameter("dataset", metadata.DatasetId), PostgresBlobs.Parameter("data", new MemoryStream(metadata.ToBytes(), writable: false)));

    public DatasetMetadata? Load(int datasetId)
    {
        var metadata = PostgresBlobs.Read(documents, "SELECT data FROM dataset_metadata WHERE dataset_id = @dataset",
            reader => DatasetMetadata.FromBytes(PostgresBlobs.ReadBytes(reader, 0)), Parameter("dataset", datasetId));
        if (metadata is not null) metadata.DatasetId = datasetId;
        return metadata;
    }

    public bool Delete(int datasetId) =>
        documents.Execute("DELETE FROM dataset_metadata WHERE dataset_id = @dataset", Parameter("dataset", datasetId)) > 0;
}
