using Medvis.Core.Data;
using Medvis.Core.Lab;
using Medvis.Core.Runs;
using Medvis.Core.Storage;
using Medvis.Core.Training;
using Medvis.Web.Auth;
using Medvis.Web.Datasets;
using Medvis.Web.Tests.Support;
using Medvis.Web.Training;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Integration;

/// <summary>Runs whose process dies, storage that fails, checkpoints left behind and compaction.</summary>
[Collection(TrainingCollection.Name)]
public sealed class FailureModeTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly TempFolder _dir = new();
    private string DatabasePath => _dir.File("medvis.db");

    private static TrainingOptions TinyOptions => new()
    {
        Backbone = "tiny", BatchSize = 32, EpochsPerStage = [1, 1, 1], SnapshotSize = 32, Device = "cpu", Seed = 1,
    };

    private static RunRecord StoredRun(RunStatus status, int attempts) => new()
    {
        Name = $"{status}-{attempts}", DatasetSpec = DatasetService.DemoSpec, MaxImages = 64, Status = status, Attempts = attempts,
        OptionsJson = TrainingOptionsJson.Serialize(TinyOptions), CreatedAtUtc = DateTime.UtcNow,
        History = [new EpochPoint { Stage = 1, Epoch = 3, GlobalEpoch = 4, TotalEpochs = 12, Loss = 1 }],
    };

    private static void SaveCheckpoint(MedvisDatabase database, int runId) =>
        database.CheckpointsFor(runId).Save(new TrainingCheckpoint(4, [1, 2, 3], DateTime.UtcNow));

    [Fact]
    public async Task ARunWhoseProcessDiedMaxAttemptsTimesIsFailedWithItsReasonWhileOneBelowResumesAndStaleCheckpointsGo()
    {
        int dead, resumable, done;
        // The state three dead processes leave: a run "running" with three counted attempts.
        using (var seed = new MedvisDatabase(DatabasePath))
        {
            dead = seed.Runs.Add(StoredRun(RunStatus.Running, attempts: 3)).Id;
            resumable = seed.Runs.Add(StoredRun(RunStatus.Running, attempts: 1)).Id;
            done = seed.Runs.Add(StoredRun(RunStatus.Done, attempts: 0)).Id;
            SaveCheckpoint(seed, dead);
            SaveCheckpoint(seed, done);
            SaveCheckpoint(seed, 999); // a deleted run's leftover
        }

        var trainer = new BlockingTrainer();
        await using (var app = new MedvisAppFactory(DatabasePath, new Dictionary<string, string?> { ["Medvis:MaxRunAttempts"] = "3" },
            s => s.AddSingleton<IMapTrainer>(trainer)))
        {
            var database = app.Services.GetRequiredService<IMedvisStore>();
            await trainer.Started.WaitAsync(Timeout);

            var failed = database.Runs.Get(dead)!;
            Assert.Equal(RunStatus.Failed, failed.Status);
            Assert.Contains("ended 3 times", failed.Error);
            Assert.Contains("after epoch 4 of 12", failed.Error);
            Assert.Contains("Medvis:MaxRunAttempts", failed.Error);
            Assert.NotNull(failed.FinishedAtUtc);

            var resumed = database.Runs.Get(resumable)!;
            Assert.Equal(RunStatus.Running, resumed.Status);
            Assert.Equal(2, resumed.Attempts);
            Assert.Contains(resumed.Messages, m => m.Contains("attempt 1 of 3", StringComparison.Ordinal));
            Assert.Equal(1, trainer.Calls); // the failed run never trained again
            Assert.Empty(database.RunsWithCheckpoints());
        } // a clean shutdown: no failed attempt

        using var reopened = new MedvisDatabase(DatabasePath);
        var afterShutdown = reopened.Runs.Get(resumable)!;
        Assert.Equal(RunStatus.Queued, afterShutdown.Status);
        Assert.Equal(1, afterShutdown.Attempts);
    }

    [Theory]
    [InlineData(FailingSinkFactory.Part.Checkpoint, "saving the checkpoint")]
    [InlineData(FailingSinkFactory.Part.Results, "saving the map, metrics and model")]
    public async Task AStorageWriteFailureEndsTheRunAsFailedWithAMessage(FailingSinkFactory.Part part, string what)
    {
        await using var app = new MedvisAppFactory(DatabasePath, services: s => s.AddSingleton<IRunSinkFactory>(
            sp => new FailingSinkFactory(sp.GetRequiredService<IMedvisStore>(), part)));
        var dataset = app.Services.GetRequiredService<DatasetService>().Register(Caller.System, DatasetService.DemoSpec).Dataset!;
        var ended = new TaskCompletionSource<RunStatusUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = app.Services.GetRequiredService<TrainingNotifier>().Subscribe(null, u =>
        {
            if (u is RunStatusUpdate { Status: RunStatus.Failed or RunStatus.Done or RunStatus.Cancelled } s) ended.TrySetResult(s);
            return Task.CompletedTask;
        });

        var runId = app.Services.GetRequiredService<RunPlanner>()
            .Queue(Caller.System, new RunRequest(dataset.Id, DatasetSplit.Train, TinyOptions, MaxImages: 64)).Runs[0].Id;

        var status = await ended.Task.WaitAsync(Timeout);
        Assert.Equal(RunStatus.Failed, status.Status);
        Assert.Contains($"storage write failed while {what}", status.Error);
        Assert.Contains("No space left on device", status.Error);
        var run = app.Services.GetRequiredService<IMedvisStore>().Runs.Get(runId)!;
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(status.Error, run.Error);
        Assert.Equal(1, run.Attempts);
        Assert.Empty(app.Services.GetRequiredService<IMedvisStore>().RunsWithCheckpoints());
    }

    [SkippableFact]
    public async Task OnARealFullDiskTheAppEndsTheRunFailedAndKeepsServingWithoutARestart()
    {
        using var tmpfs = Medvis.Core.Tests.Storage.TmpfsMount.Mount(48);
        var path = Path.Combine(tmpfs.Path, "medvis.db");
        string? filler = null;
        var trainer = new FillingTrainer(() => filler = tmpfs.Fill());
        // The free-space check sees an unknown disk and lets the checkpoint through: the disk fills up between the
        // check and the write, as when another process takes the space.
        await using var app = new MedvisAppFactory(path, services: s =>
        {
            s.AddSingleton<IMedvisStore>(new MedvisDatabase(path, new FreeSpaceRule(0), new BlindVolume()));
            s.AddSingleton<IMapTrainer>(trainer);
        });
        var database = app.Services.GetRequiredService<IMedvisStore>();
        var dataset = app.Services.GetRequiredService<DatasetService>().Register(Caller.System, DatasetService.DemoSpec).Dataset!;
        var before = StoredRun(RunStatus.Done, attempts: 1);
        before.Name = "trained before the disk filled";
        var earlier = database.Runs.Add(before).Id;
        var ended = new TaskCompletionSource<RunStatusUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = app.Services.GetRequiredService<TrainingNotifier>().Subscribe(null, u =>
        {
            if (u is RunStatusUpdate { Status: RunStatus.Failed or RunStatus.Done or RunStatus.Cancelled } s) ended.TrySetResult(s);
            return Task.CompletedTask;
        });
        using var viewer = app.CreateClientAs(UserRole.Viewer);
        var member = app.CallerOf(UserRole.Member); // stored now: adding a user needs room

        var runId = app.Services.GetRequiredService<RunPlanner>()
            .Queue(Caller.System, new RunRequest(dataset.Id, DatasetSplit.Train, TinyOptions, MaxImages: 64)).Runs[0].Id;
        var status = await ended.Task.WaitAsync(Timeout);

        Assert.Equal(RunStatus.Failed, status.Status);
        Assert.Contains("storage write failed while saving the checkpoint", status.Error);
        Assert.Contains("No space left on device", status.Error);
        // The disk is still full: pages still render from the store.
        var runsPage = await viewer.GetStringAsync("/runs");
        Assert.Contains("trained before the disk filled", runsPage);
        // Uploads (beside the database, on the same full disk) are refused with one line.
        var upload = await app.Services.GetRequiredService<DatasetUploads>().UploadAsync(member, "cells.npz", new MemoryStream([1, 2, 3]));
        Assert.StartsWith("cells.npz: not enough free space to store the upload cells.npz (8.0 MB): 0.0 MB free", upload.Error);

        File.Delete(filler!);
        await Poll.HoldsWithinAsync(() => database.Runs.Get(runId)!.Status == RunStatus.Failed, Timeout);
        Assert.Equal(status.Error, database.Runs.Get(runId)!.Error);
        Assert.Equal(RunStatus.Done, database.Runs.Get(earlier)!.Status);
        database.Audit.Add("test", "wrote after", "the disk was freed");
        database.CheckpointsFor(earlier).Save(new TrainingCheckpoint(9, new byte[2 << 20], DateTime.UtcNow));
        Assert.Equal(9, database.CheckpointsFor(earlier).LoadLatest()!.GlobalEpoch);
        Assert.Contains(runId.ToString(System.Globalization.CultureInfo.InvariantCulture), await viewer.GetStringAsync("/runs"));
    }

    [Fact]
    public async Task CompactingRemovesCheckpointsOfEndedRunsShrinksTheFileAndWaitsForQueuedRuns()
    {
        await using var app = new MedvisAppFactory(DatabasePath, services: s => s.AddSingleton<IMapTrainer>(new BlockingTrainer()));
        var database = app.Services.GetRequiredService<IMedvisStore>();
        var maintenance = app.Services.GetRequiredService<DatabaseMaintenance>();
        // The worker removes checkpoints of ended runs when it starts: let it finish first, so compaction finds this one.
        await app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<TrainingWorker>().Single().Ready.WaitAsync(Timeout);
        var ended = database.Runs.Add(StoredRun(RunStatus.Failed, attempts: 0)).Id;
        database.CheckpointsFor(ended).Save(new TrainingCheckpoint(4, new byte[6 << 20], DateTime.UtcNow));
        // A cancelled run keeps its checkpoint: it can be resumed from it.
        var cancelled = database.Runs.Add(StoredRun(RunStatus.Cancelled, attempts: 0)).Id;
        database.CheckpointsFor(cancelled).Save(new TrainingCheckpoint(2, [1, 2, 3], DateTime.UtcNow));
        var admin = app.CallerOf(UserRole.Admin);
        // LiteDB writes pages to its log file from a background queue: wait until the checkpoint is on disk.
        await Poll.UntilAsync(() => maintenance.FileBytes >= 6 << 20, Timeout, "the checkpoint on disk");

        var result = maintenance.Compact(admin);

        Assert.Equal(1, result.CheckpointsRemoved);
        Assert.True(result.BytesAfter < result.BytesBefore - (4 << 20), $"{result.BytesBefore} → {result.BytesAfter} bytes");
        Assert.Equal([cancelled], database.RunsWithCheckpoints());
        Assert.Equal(RunStatus.Failed, database.Runs.Get(ended)!.Status);
        Assert.Contains(database.Audit.Latest(10), a => a.Action == "compacted the database" && a.UserName == admin.Name);

        database.Runs.Add(StoredRun(RunStatus.Queued, attempts: 0));
        var refused = Assert.Throws<InvalidOperationException>(() => maintenance.Compact(admin));
        Assert.Contains("queued or training", refused.Message);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>The local disk, its free space unknown: the free-space check lets every write through.</summary>
    private sealed class BlindVolume : IStorageVolume
    {
        public long? FreeBytes(string folder) => null;
        public Stream OpenFile(string path) => LocalVolume.Instance.OpenFile(path);
    }

    /// <summary>Saves a small checkpoint, lets the disk fill up, then saves a 6 MB one.</summary>
    private sealed class FillingTrainer(Action fill) : IMapTrainer
    {
        public TrainingResult Train(ImageDataset data, TrainingOptions options, IProgress<TrainingEvent> progress,
            ICheckpointStore checkpoints, CancellationToken cancellation)
        {
            checkpoints.Save(new TrainingCheckpoint(1, new byte[256 << 10], DateTime.UtcNow));
            fill();
            checkpoints.Save(new TrainingCheckpoint(2, new byte[6 << 20], DateTime.UtcNow));
            throw new InvalidOperationException("the 6 MB checkpoint should not have fitted");
        }
    }

    /// <summary>Stands in for training that never ends by itself: waits for its cancellation.</summary>
    private sealed class BlockingTrainer : IMapTrainer
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public Task Started => _started.Task;
        public int Calls => _calls;

        public TrainingResult Train(ImageDataset data, TrainingOptions options, IProgress<TrainingEvent> progress,
            ICheckpointStore checkpoints, CancellationToken cancellation)
        {
            Interlocked.Increment(ref _calls);
            _started.TrySetResult();
            cancellation.WaitHandle.WaitOne(TimeSpan.FromMinutes(5));
            cancellation.ThrowIfCancellationRequested();
            throw new TimeoutException("the test never stopped this run");
        }
    }
}

/// <summary>The database's sinks, except that one part's writes fail as on a full disk.</summary>
public sealed class FailingSinkFactory(IMedvisStore database, FailingSinkFactory.Part failing) : IRunSinkFactory
{
    /// <summary>Which write fails.</summary>
    public enum Part { Checkpoint, Results }

    /// <inheritdoc />
    public IMapRunSink For(int runId) => new Sink(new StoredRunSink(database, runId), failing);

    private static IOException DiskFull() => new("No space left on device");

    private sealed class Sink(StoredRunSink inner, Part failing) : IMapRunSink
    {
        public ICheckpointStore Checkpoints { get; } = failing == Part.Checkpoint ? new FullStore(inner.Checkpoints) : inner.Checkpoints;

        public void Save(MapRunArtifacts artifacts)
        {
            if (failing == Part.Results) throw DiskFull();
            inner.Save(artifacts);
        }
    }

    private sealed class FullStore(ICheckpointStore inner) : ICheckpointStore
    {
        public void Save(TrainingCheckpoint checkpoint) => throw DiskFull();
        public TrainingCheckpoint? LoadLatest() => inner.LoadLatest();
    }
}
