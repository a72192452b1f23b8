using LiteDB;

namespace Medvis.Core.Storage;

/// <summary>
/// Training runs. Changes go through <see cref="Update"/>, which serialises read-modify-write cycles so the
/// training thread (progress) and the UI (cancel) never overwrite each other's fields.
/// </summary>
public sealed class RunRepository(ILiteDatabase db) : IRunRepository
{
    internal const string Collection = "runs";
    private readonly Lock _writeLock = new();
    private ILiteCollection<RunRecord> Items => db.GetCollection<RunRecord>(Collection);

    /// <summary>Stores a new run and returns it with its id.</summary>
    public RunRecord Add(RunRecord run)
    {
        lock (_writeLock) Items.Insert(run);
        return run;
    }

    public RunRecord? Get(int id) => Items.FindById(id);

    /// <summary>All runs, newest first.</summary>
    public IReadOnlyList<RunRecord> All() => Items.FindAll().OrderByDescending(r => r.Id).ToList();

    /// <summary>Runs in one of the given states, oldest first.</summary>
    public IReadOnlyList<RunRecord> WithStatus(params RunStatus[] statuses) =>
        Items.FindAll().Where(r => statuses.Contains(r.Status)).OrderBy(r => r.Id).ToList();

    /// <inheritdoc />
    public int CountForDataset(int datasetId) => Items.Count(r => r.DatasetId == datasetId);

    /// <inheritdoc />
    public IReadOnlyDictionary<RunStatus, int> CountByStatus() => Enum.GetValues<RunStatus>()
        .Select(status => (status, count: Items.Count(Query.EQ(nameof(RunRecord.Status), status.ToString()))))
        .Where(c => c.count > 0)
        .ToDictionary(c => c.status, c => c.count);

    /// <summary>Applies <paramref name="change"/> to the stored run and saves it; null when the run is gone.</summary>
    public RunRecord? Update(int id, Action<RunRecord> change)
    {
        lock (_writeLock)
        {
            var run = Items.FindById(id);
            if (run is null) return null;
            change(run);
            Items.Update(run);
            return run;
        }
    }

    /// <inheritdoc />
    public bool IsCancelRequested(int id) => Items.FindById(id)?.CancelRequested ?? false;

    public bool Delete(int id)
    {
        lock (_writeLock) return Items.Delete(id);
    }
}
