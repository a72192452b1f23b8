using static Medvis.Core.Storage.Postgres.PostgresDocuments;

namespace Medvis.Core.Storage.Postgres;

/// <summary>Registered datasets in table <c>datasets</c>.</summary>
internal sealed class PostgresDatasetRepository(PostgresDocuments documents) : IDatasetRepository
{
    private static readonly Action<DatasetRecord, int> SetId = (d, id) => d.Id = id;

    public DatasetRecord Add(DatasetRecord dataset)
    {
        dataset.Id = documents.Insert("INSERT INTO datasets (spec, doc) VALUES (@spec, @doc) RETURNING id",
            Parameter("spec", dataset.Spec), Doc(dataset));
        return dataset;
    }

    public DatasetRecord? Get(int id) =>
        documents.Query("SELECT id, doc FROM datasets WHERE id = @id", SetId, Parameter("id", id)).SingleOrDefault();

    public DatasetRecord? FindBySpec(string spec) =>
        documents.Query("SELECT id, doc FROM datasets WHERE spec = @spec ORDER BY id LIMIT 1", SetId, Parameter("spec", spec)).SingleOrDefault();

    public IReadOnlyList<DatasetRecord> All() => documents.Query("SELECT id, doc FROM datasets ORDER BY id", SetId);

    public bool Delete(int id) => documents.Execute("DELETE FROM datasets WHERE id = @id", Parameter("id", id)) > 0;

    public bool Rename(int id, string name) => documents.Update<DatasetRecord>("datasets", id, d => d.Name = name, SetId) is not null;
}
