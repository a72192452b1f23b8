using Medvis.Core.Data;
using Medvis.Core.Lab;
using Medvis.Core.Runs;
using Medvis.Core.Storage;
using Medvis.Core.Tests.Data;
using Medvis.Core.Tests.Training;
using Medvis.Core.Training;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medvis.Core.Tests.Storage;

/// <summary>
/// A disk that fills up under the LiteDB store: large writes are refused while there is still room (the free-space
/// guard), and when the disk fills anyway (another process took the space between the check and the write) the
/// store keeps what was committed, serves reads, and takes writes again once space is freed, without a restart.
/// Each case runs on a deterministic disk that fills up (<see cref="FillingVolume"/>) and on a real 24 MB tmpfs;
/// the run's case also on PostgreSQL whose cluster lies on an 80 MB tmpfs.
/// </summary>
public sealed class FullDiskTests : IDisposable
{
    private const int MB = 1 << 20;
    private readonly TempFolder _temp = new();

    private static byte[] Bytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void TheGuardRefusesALargeWriteNamingTheFreeSpaceTheLimitAndTheSettingAndSmallWritesGoOn()
    {
        var disk = new FillingVolume(_temp.Path, 64L * MB);
        using var db = new MedvisDatabase(_temp.File("medvis.db"), new FreeSpaceRule(8), disk);
        var run = db.Runs.Add(new RunRecord { Name = "kept" });
        var kept = Bytes(1 * MB, 1);
        db.CheckpointsFor(run.Id).Save(new TrainingCheckpoint(1, kept, DateTime.UtcNow));
        disk.Fill(leave: 10L * MB);

        var refused = Assert.Throws<StorageFullException>(() =>
            db.CheckpointsFor(run.Id).Save(new TrainingCheckpoint(2, Bytes(2 * MB, 2), DateTime.UtcNow)));

        Assert.Contains($"the checkpoint of run {run.Id}", refused.Message);
        Assert.Matches(@"\(4\.0 MB\): (9|10)\.\d MB free on the volume of ", refused.Message);
        Assert.Contains("Medvis:Storage:MinFreeMegabytes keeps 8 MB free", refused.Message);
        Assert.Equal(1, db.CheckpointsFor(run.Id).LoadLatest()!.GlobalEpoch);
        Assert.Throws<StorageFullException>(() => db.Artifacts.SaveModel(run.Id, Bytes(2 * MB, 3)));
        Assert.Throws<StorageFullException>(() => db.Snapshots.Add(run.Id, Snapshot(epoch: 1, points: 100_000), maxKept: 10));
        db.Runs.Update(run.Id, r => r.Error = "small writes still fit");
        Assert.Equal(0, db.EngineReopened);

        disk.Free();
        db.CheckpointsFor(run.Id).Save(new TrainingCheckpoint(2, Bytes(2 * MB, 2), DateTime.UtcNow));
        Assert.Equal(2, db.CheckpointsFor(run.Id).LoadLatest()!.GlobalEpoch);
    }

    [Fact]
    public void AStoreBrokenByAFullDiskKeepsItsDataServesReadsAndTakesWritesAgainOnceSpaceIsFreed()
    {
        var disk = new FillingVolume(_temp.Path, 64L * MB) { Blind = true };
        StoreSurvivesAFullDisk(_temp.File("medvis.db"), disk, () => disk.Fill(), disk.Free);
    }

    [SkippableFact]
    public void OnARealFullDiskTheStoreKeepsItsDataServesReadsAndTakesWritesAgainOnceSpaceIsFreed()
    {
        using var tmpfs = TmpfsMount.Mount(24);
        string? filler = null;
        StoreSurvivesAFullDisk(Path.Combine(tmpfs.Path, "medvis.db"), new BlindVolume(), () => filler = tmpfs.Fill(), () => File.Delete(filler!));
    }

    [Fact]
    public void ARunRefusedByTheGuardEndsFailedWithTheMessage()
    {
        var disk = new FillingVolume(_temp.Path, 64L * MB);
        using var db = new MedvisDatabase(_temp.File("medvis.db"), new FreeSpaceRule(8), disk);
        var trainer = new FillingTrainer(4 * MB, () => disk.Fill(leave: 12L * MB));

        var runId = QueuedRun(db);

        Assert.Equal(RunExecution.Failed, Execute(db, runId, trainer, CancellationToken.None));
        var run = db.Runs.Get(runId)!;
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("storage write failed while saving the checkpoint", run.Error);
        Assert.Contains("Medvis:Storage:MinFreeMegabytes keeps 8 MB free", run.Error);
        Assert.Equal(0, db.EngineReopened);
    }

    [Fact]
    public async Task ARunWhoseCheckpointFillsTheDiskEndsFailedWithTheDiskErrorOnceSpaceIsFreed()
    {
        var disk = new FillingVolume(_temp.Path, 64L * MB) { Blind = true };
        using var db = new MedvisDatabase(_temp.File("medvis.db"), new FreeSpaceRule(8), disk);
        await RunEndsFailedOnceSpaceIsFreed(db, () => disk.Fill(), disk.Free, outcomeWaitsForRoom: true);
    }

    [SkippableFact]
    public async Task OnARealFullDiskARunEndsFailedWithTheDiskErrorOnceSpaceIsFreed()
    {
        using var tmpfs = TmpfsMount.Mount(24);
        using var db = new MedvisDatabase(Path.Combine(tmpfs.Path, "medvis.db"), new FreeSpaceRule(0), new BlindVolume());
        string? filler = null;
        await RunEndsFailedOnceSpaceIsFreed(db, () => filler = tmpfs.Fill(), () => File.Delete(filler!), outcomeWaitsForRoom: true);
    }

    [SkippableFact]
    public async Task OnAFullDatabaseServerDiskARunEndsFailedWithTheDiskErrorAndTheServerServesAgainOnceSpaceIsFreed()
    {
        using var cluster = PostgresOnTmpfs.Start(megabytes: 80);
        using var store = new Medvis.Core.Storage.Postgres.PostgresStore(cluster.ConnectionString);
        string? filler = null;
        // PostgreSQL rolls back the statement that could not extend its file and stores the (smaller) outcome at once
        // when it fits into a page it has; the outcome's wait is not asserted here.
        await RunEndsFailedOnceSpaceIsFreed(store, () => filler = cluster.Fill(), () => File.Delete(filler!), outcomeWaitsForRoom: false);
    }

    // Data written before, a write that fills the disk, reads during, writes after freeing, and the file reopened.
    private static void StoreSurvivesAFullDisk(string path, IStorageVolume volume, Action fill, Action free)
    {
        var kept = Bytes(1 * MB, 1);
        var next = Bytes(2 * MB, 3);
        int runId;
        using (var db = new MedvisDatabase(path, new FreeSpaceRule(0), volume))
        {
            runId = db.Runs.Add(new RunRecord { Name = "before" }).Id;
            db.CheckpointsFor(runId).Save(new TrainingCheckpoint(1, kept, DateTime.UtcNow));
            db.Audit.Add("someone", "did", "something before");
            fill();

            var failed = Assert.ThrowsAny<IOException>(() => db.CheckpointsFor(runId).Save(new TrainingCheckpoint(2, Bytes(6 * MB, 2), DateTime.UtcNow)));
            Assert.Contains("No space left on device", failed.Message);

            // The disk is still full: reads work, with everything committed before.
            Assert.Equal("before", db.Runs.Get(runId)!.Name);
            Assert.Equal(kept, db.CheckpointsFor(runId).LoadLatest()!.State);
            Assert.Contains(db.Audit.Latest(10), a => a.Subject == "something before");

            free();
            db.Runs.Update(runId, r => r.Name = "after");
            db.CheckpointsFor(runId).Save(new TrainingCheckpoint(3, next, DateTime.UtcNow));
            db.Audit.Add("someone", "did", "something after");
            Assert.Equal(next, db.CheckpointsFor(runId).LoadLatest()!.State);
            Assert.True(db.EngineReopened >= 1, "the broken engine was never replaced");
        }

        using var reopened = new MedvisDatabase(path);
        Assert.Equal("after", reopened.Runs.Get(runId)!.Name);
        var latest = reopened.CheckpointsFor(runId).LoadLatest()!;
        Assert.Equal(3, latest.GlobalEpoch);
        Assert.Equal(next, latest.State);
        Assert.Equal(["something after", "something before"], reopened.Audit.Latest(10).Select(a => a.Subject));
    }

    // A run saves a checkpoint, the disk fills, its next checkpoint fails; the outcome cannot be stored until the
    // space is freed, and then it is, without a restart.
    private static async Task RunEndsFailedOnceSpaceIsFreed(IMedvisStore db, Action fill, Action free, bool outcomeWaitsForRoom)
    {
        var other = db.Runs.Add(new RunRecord { Name = "other", Status = RunStatus.Done }).Id;
        db.Artifacts.SaveMetricsJson(other, "{\"kept\":true}");
        var trainer = new FillingTrainer(6 * MB, fill);
        var events = new RecordingEvents();
        using var shutdown = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var run = QueuedRun(db);
        var execution = Task.Run(() => Execute(db, run, trainer, shutdown.Token, events));

        var failedStatus = await events.Failed.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Contains("No space left on device", failedStatus);
        await Task.Delay(StoredRunExecutor.OutcomeRetryInterval * 2);
        // Reads are served while the disk is full; the outcome waits for room.
        Assert.Equal("{\"kept\":true}", db.Artifacts.LoadMetricsJson(other));
        if (outcomeWaitsForRoom)
        {
            Assert.Equal(RunStatus.Running, db.Runs.Get(run)!.Status);
            Assert.False(execution.IsCompleted);
        }
        free();

        Assert.Equal(RunExecution.Failed, await execution.WaitAsync(TimeSpan.FromMinutes(1)));
        var ended = db.Runs.Get(run)!;
        Assert.Equal(RunStatus.Failed, ended.Status);
        Assert.Equal(failedStatus, ended.Error);
        Assert.Contains("storage write failed while saving the checkpoint", ended.Error);
        Assert.Equal(RunStatus.Done, db.Runs.Get(other)!.Status);
        Assert.Equal("{\"kept\":true}", db.Artifacts.LoadMetricsJson(other));
        db.Artifacts.SaveMetricsJson(other, "{\"written\":\"after\"}");
        Assert.Equal("{\"written\":\"after\"}", db.Artifacts.LoadMetricsJson(other));
    }

    private static int QueuedRun(IMedvisStore db) => db.Runs.Add(new RunRecord
    {
        Name = "filling", DatasetSpec = "two-classes", Status = RunStatus.Queued, ImageSize = 12,
        OptionsJson = TrainingOptionsJson.Serialize(TrainingTestData.TinyOptions([1, 1, 1])),
    }).Id;

    private static RunExecution Execute(IMedvisStore db, int runId, IMapTrainer trainer, CancellationToken shutdown, IRunEvents? events = null) =>
        new StoredRunExecutor(db, new MapRunPipeline(new Medvis.Core.Tests.Runs.FixedDatasetLoader(TrainingTestData.TwoClasses(40)), trainer),
            events ?? new RecordingEvents(), NullLogger<StoredRunExecutor>.Instance).Execute(runId, shutdown, shutdown);

    private static SnapshotPoint Snapshot(int epoch, int points) => new()
    {
        Stage = 1, Epoch = epoch, GlobalEpoch = epoch, Indices = new int[points], Labels = new int[points], X = new float[points], Y = new float[points],
    };

    public void Dispose() => _temp.Dispose();

    /// <summary>The local disk, but its free space reads unknown: the guard lets everything through.</summary>
    private sealed class BlindVolume : IStorageVolume
    {
        public long? FreeBytes(string folder) => null;
        public Stream OpenFile(string path) => LocalVolume.Instance.OpenFile(path);
    }

    /// <summary>Saves a small checkpoint, lets the disk fill up, then saves a large one.</summary>
    private sealed class FillingTrainer(int largeBytes, Action fill) : IMapTrainer
    {
        public TrainingResult Train(ImageDataset data, TrainingOptions options, IProgress<TrainingEvent> progress,
            ICheckpointStore checkpoints, CancellationToken cancellation)
        {
            checkpoints.Save(new TrainingCheckpoint(1, Bytes(256 << 10, 5), DateTime.UtcNow));
            fill();
            checkpoints.Save(new TrainingCheckpoint(2, Bytes(largeBytes, 6), DateTime.UtcNow));
            throw new InvalidOperationException("the large checkpoint should not have fitted");
        }
    }

    private sealed class RecordingEvents : IRunEvents
    {
        public TaskCompletionSource<string> Failed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void StatusChanged(int runId, RunStatus status, string? error)
        {
            if (status == RunStatus.Failed) Failed.TrySetResult(error ?? "");
        }

        public void EpochFinished(int runId, EpochPoint point) { }
        public void SnapshotTaken(int runId, SnapshotPoint snapshot) { }
        public void StepDone(int runId, int stage, int epoch, int step, int stepsPerEpoch, double loss) { }
        public void MessageAdded(int runId, string text) { }
    }
}
