using LiteDB;

namespace Medvis.Core.Storage;

/// <summary>The replay snapshots of runs in the LiteDB file: one document per snapshot, its points as one blob.</summary>
/// <param name="db">The database.</param>
/// <param name="largeWrites">Checks for room and keeps each change on one engine.</param>
public sealed class SnapshotRepository(ILiteDatabase db, LiteDbLargeWrites largeWrites) : ISnapshotRepository
{
    internal const string Collection = "snapshots";
    private readonly Lock _writeLock = new();
    private ILiteCollection<StoredSnapshot> Items => db.GetCollection<StoredSnapshot>(Collection);

    /// <inheritdoc />
    public void Add(int runId, SnapshotPoint snapshot, int maxKept)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var data = SnapshotCodec.Encode(snapshot);
        lock (_writeLock)
        {
            largeWrites.Run(data.Length, $"the 2-D snapshot of run {runId}", () =>
            {
                Items.DeleteMany(s => s.RunId == runId && s.GlobalEpoch >= snapshot.GlobalEpoch);
                Items.Insert(new StoredSnapshot { RunId = runId, GlobalEpoch = snapshot.GlobalEpoch, Data = data });
                var drop = SnapshotThinning.ToDrop(EpochsOf(runId), maxKept);
                foreach (var epoch in drop) Items.DeleteMany(s => s.RunId == runId && s.GlobalEpoch == epoch);
            });
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<SnapshotPoint> ForRun(int runId) =>
        Items.Find(s => s.RunId == runId).OrderBy(s => s.GlobalEpoch).Select(s => SnapshotCodec.Decode(s.Data)).ToList();

    /// <inheritdoc />
    public IReadOnlyList<int> EpochsOf(int runId) =>
        Items.Query().Where(s => s.RunId == runId).Select(s => s.GlobalEpoch).ToList().Order().ToList();

    /// <inheritdoc />
    public void DeleteForRun(int runId)
    {
        lock (_writeLock) Items.DeleteMany(s => s.RunId == runId);
    }

    /// <summary>One stored snapshot.</summary>
    internal sealed class StoredSnapshot
    {
        public ObjectId Id { get; set; } = ObjectId.NewObjectId();
        public int RunId { get; set; }
        public int GlobalEpoch { get; set; }
        public byte[] Data { get; set; } = [];
    }
}
