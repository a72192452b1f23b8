using LiteDB;

namespace Medvis.Core.Storage;

/// <summary>Labels users gave to selected points of a map.</summary>
public sealed class AnnotationRepository(ILiteDatabase db) : IAnnotationRepository
{
    internal const string Collection = "annotations";
    private ILiteCollection<AnnotationRecord> Items => db.GetCollection<AnnotationRecord>(Collection);

    /// <summary>Stores a tag; the label is trimmed and must not be empty.</summary>
    public AnnotationRecord Add(int runId, string label, IReadOnlyCollection<int> pointIndices)
    {
        var record = AnnotationRecord.Create(runId, label, pointIndices);
        Items.Insert(record);
        return record;
    }

    /// <summary>Tags of a run, oldest first.</summary>
    public IReadOnlyList<AnnotationRecord> ForRun(int runId) => Items.Find(a => a.RunId == runId).OrderBy(a => a.Id).ToList();

    public bool Delete(int id) => Items.Delete(id);

    internal void DeleteForRun(int runId) => Items.DeleteMany(a => a.RunId == runId);
}
