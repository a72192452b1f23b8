using LiteDB;

namespace Medvis.Core.Storage;

/// <summary>Registered datasets.</summary>
public sealed class DatasetRepository(ILiteDatabase db) : IDatasetRepository
{
    internal const string Collection = "datasets";
    private ILiteCollection<DatasetRecord> Items => db.GetCollection<DatasetRecord>(Collection);

    /// <summary>Stores a new dataset and returns it with its id.</summary>
    public DatasetRecord Add(DatasetRecord dataset)
    {
        Items.Insert(dataset);
        return dataset;
    }

    public DatasetRecord? Get(int id) => Items.FindById(id);

    /// <summary>The dataset registered with this spec (path or "demo"), if any.</summary>
    public DatasetRecord? FindBySpec(string spec) => Items.FindOne(d => d.Spec == spec);

    public IReadOnlyList<DatasetRecord> All() => Items.FindAll().OrderBy(d => d.Id).ToList();

    /// <summary>Removes a dataset and its metadata; false when there is none.</summary>
    public bool Delete(int id)
    {
        // PostgreSQL drops the metadata by its foreign key; here the file goes by hand.
        db.FileStorage.Delete($"metadata/{id}");
        return Items.Delete(id);
    }

    public bool Rename(int id, string name)
    {
        if (Items.FindById(id) is not { } dataset) return false;
        dataset.Name = name;
        return Items.Update(dataset);
    }
}
