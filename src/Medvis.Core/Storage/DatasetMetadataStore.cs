using LiteDB;
using Medvis.Core.Data.Metadata;

namespace Medvis.Core.Storage;

/// <summary>Dataset metadata in LiteDB file storage, one JSON file per dataset (a table can pass a document's 16 MB).</summary>
public sealed class DatasetMetadataStore(ILiteDatabase db) : IDatasetMetadataStore
{
    private static string FileId(int datasetId) => $"metadata/{datasetId}";

    /// <inheritdoc />
    public void Save(DatasetMetadata metadata)
    {
        using var stream = new MemoryStream(metadata.ToBytes(), writable: false);
        db.FileStorage.Upload(FileId(metadata.DatasetId), $"metadata-{metadata.DatasetId}.json", stream);
    }

    /// <inheritdoc />
    public DatasetMetadata? Load(int datasetId)
    {
        var id = FileId(datasetId);
        if (!db.FileStorage.Exists(id)) return null;
        using var stream = new MemoryStream();
        db.FileStorage.Download(id, stream);
        var metadata = DatasetMetadata.FromBytes(stream.ToArray());
        metadata.DatasetId = datasetId;
        return metadata;
    }

    /// <inheritdoc />
    public bool Delete(int datasetId) => db.FileStorage.Delete(FileId(datasetId));
}
