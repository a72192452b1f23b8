using Medvis.Core.Lab;
using Medvis.Core.Storage;
using Medvis.Core.Tests.Data;
using Medvis.Core.Training;

namespace Medvis.Core.Tests.Lab;

/// <summary>What a stored run keeps of the trainer's events: the epoch history with kNN and ETA, and a bounded replay history.</summary>
public sealed class StoredRunProgressTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void EpochsKeepTheirKnnAndEtaAndSnapshotsAreKeptWithinTheBound()
    {
        using var db = new MedvisDatabase(_temp.File("medvis.db"));
        var run = db.Runs.Add(new RunRecord());
        var events = new CountingEvents();
        var progress = new StoredRunProgress(run.Id, db, events, maxSnapshots: 5);

        var eta = new EtaEstimate(TimeSpan.FromSeconds(90), 3, 1.8, Rough: false);
        progress.Report(new EpochCompleted(1, 0, 4, 1, 24, 5.25, 0.1, 100, TimeSpan.FromSeconds(3), eta.Remaining) { KnnAccuracy = 0.4, EpochSeconds = 3.5, Eta = eta });
        for (var epoch = 5; epoch <= 24; epoch++)
            progress.Report(new EmbeddingSnapshot(3, epoch - 5, epoch, [0, 1], [0, 1], [epoch, 0], [0, epoch]));

        var stored = db.Runs.Get(run.Id)!;
        var point = Assert.Single(stored.History);
        Assert.Equal((0.4, 3.5, 1.8, false, 90.0), (point.KnnAccuracy, point.EpochSeconds, point.SpeedUp, point.EtaRough, point.EtaSeconds));
        Assert.Equal(24, stored.LatestSnapshot!.GlobalEpoch);
        var kept = db.Snapshots.EpochsOf(run.Id);
        Assert.Equal(5, kept.Count);
        Assert.Equal(5, kept[0]);
        Assert.Equal(24, kept[^1]);
        Assert.Equal(20, events.Snapshots);
    }

    public void Dispose() => _temp.Dispose();

    private sealed class CountingEvents : IRunEvents
    {
        public int Snapshots { get; private set; }
        public void StatusChanged(int runId, RunStatus status, string? error) { }
        public void EpochFinished(int runId, EpochPoint point) { }
        public void SnapshotTaken(int runId, SnapshotPoint snapshot) => Snapshots++;
        public void StepDone(int runId, int stage, int epoch, int step, int stepsPerEpoch, double loss) { }
        public void MessageAdded(int runId, string text) { }
    }
}
