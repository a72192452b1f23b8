using Medvis.Core.Data;
using Medvis.Core.Lab;
using Medvis.Core.Runs;
using Medvis.Core.Storage;
using Medvis.Core.Storage.Postgres;
using Medvis.Core.Tests.Training;
using Medvis.Core.Training;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medvis.Core.Tests.Storage;

/// <summary>The PostgreSQL store while its server goes away and comes back: calls wait for it instead of failing.</summary>
public sealed class PostgresRestartTests
{
    [SkippableFact]
    public async Task WritesMadeWhileTheServerIsDownWaitForItAndLandWhenItIsBack()
    {
        using var cluster = PostgresCluster.Start();
        using var store = new PostgresStore(cluster.ConnectionString, TimeSpan.FromSeconds(60));
        var run = store.Runs.Add(new RunRecord { Name = "before" });
        var checkpoints = store.CheckpointsFor(run.Id);
        checkpoints.Save(new TrainingCheckpoint(1, [1, 2, 3], DateTime.UtcNow));

        cluster.Pause();
        // A readiness probe's question is answered at once, not after the 60-s window the other calls wait.
        var probe = System.Diagnostics.Stopwatch.StartNew();
        Assert.ThrowsAny<Npgsql.NpgsqlException>(() => store.CountDatasetsNow());
        Assert.True(probe.Elapsed < TimeSpan.FromSeconds(10), $"the probe took {probe.Elapsed.TotalSeconds:F1} s");
        // What a worker does each epoch: record progress, save a checkpoint, check for a cancel.
        var progress = Task.Run(() => store.Runs.Update(run.Id, r => r.Name = "after"));
        var checkpoint = Task.Run(() => checkpoints.Save(new TrainingCheckpoint(2, new byte[1 << 20], DateTime.UtcNow)));
        var cancel = Task.Run(() => store.Runs.IsCancelRequested(run.Id));
        Assert.False(await Poll.HoldsWithinAsync(() => progress.IsCompleted || checkpoint.IsCompleted || cancel.IsCompleted, TimeSpan.FromSeconds(1)),
            "a call ended while the server was down");
        cluster.Resume();

        Assert.Equal("after", (await progress.WaitAsync(TimeSpan.FromSeconds(60)))!.Name);
        await checkpoint.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(await cancel.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal("after", store.Runs.Get(run.Id)!.Name);
        var latest = checkpoints.LoadLatest()!;
        Assert.Equal((2, 1 << 20), (latest.GlobalEpoch, latest.State.Length));
    }

    [SkippableFact]
    public void AServerThatStaysAwayFailsTheCallAfterTheWindowNamingTheConnection()
    {
        using var cluster = PostgresCluster.Start();
        using var store = new PostgresStore(cluster.ConnectionString, TimeSpan.FromSeconds(1));
        var run = store.Runs.Add(new RunRecord { Name = "kept" });

        cluster.Pause();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.ThrowsAny<Npgsql.NpgsqlException>(() => store.Runs.Update(run.Id, r => r.Name = "lost"));

        Assert.True(ReconnectingCalls.ServerAway(error), error.ToString());
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.5, 30);
        cluster.Resume();
        Assert.Equal("kept", store.Runs.Get(run.Id)!.Name);
    }

    [SkippableFact]
    public async Task AWorkersRunOutlivesADatabaseRestartAndEndsWithTheMapOfAnUninterruptedRun()
    {
        using var cluster = PostgresCluster.Start();
        using var store = new PostgresStore(cluster.ConnectionString, TimeSpan.FromSeconds(90));
        var options = TrainingTestData.TinyOptions([3, 1, 2]);
        var uninterrupted = QueuedRun(store, options);
        Assert.Equal(RunExecution.Done, Execute(store, uninterrupted, new PauseAfterFirstEpoch(null)));

        var interrupted = QueuedRun(store, options);
        var execution = Task.Run(() => Execute(store, interrupted, new PauseAfterFirstEpoch(cluster)));
        // The database is down from the first epoch's end until a store call of the run has waited for it.
        await Poll.UntilAsync(() => store.ReconnectWaits > 0 || execution.IsCompleted, TimeSpan.FromMinutes(2), "a store call waiting for the server");
        Assert.False(execution.IsCompleted, "the run ended while the database was down");
        cluster.Resume();

        Assert.Equal(RunExecution.Done, await execution.WaitAsync(TimeSpan.FromMinutes(2)));
        var expected = store.Artifacts.LoadResult(uninterrupted)!;
        var actual = store.Artifacts.LoadResult(interrupted)!;
        Assert.Equal(expected.X, actual.X);
        Assert.Equal(expected.Y, actual.Y);
    }

    private static int QueuedRun(IMedvisStore store, TrainingOptions options) => store.Runs.Add(new RunRecord
    {
        Name = "restart", DatasetSpec = "two-classes", Status = RunStatus.Queued, ImageSize = 12,
        OptionsJson = TrainingOptionsJson.Serialize(options),
    }).Id;

    private static RunExecution Execute(IMedvisStore store, int runId, IRunEvents events) =>
        new StoredRunExecutor(store, new MapRunPipeline(new Medvis.Core.Tests.Runs.FixedDatasetLoader(TrainingTestData.TwoClasses(40)), new TSimCneMapTrainer()),
            events, NullLogger<StoredRunExecutor>.Instance).Execute(runId, CancellationToken.None, CancellationToken.None);

    /// <summary>Stops the database when the run's first epoch ends (null: never).</summary>
    private sealed class PauseAfterFirstEpoch(PostgresCluster? cluster) : IRunEvents
    {
        private int _paused;
        public void EpochFinished(int runId, EpochPoint point)
        {
            if (cluster is not null && Interlocked.Exchange(ref _paused, 1) == 0) cluster.Pause();
        }
        public void StatusChanged(int runId, RunStatus status, string? error) { }
        public void SnapshotTaken(int runId, SnapshotPoint snapshot) { }
        public void StepDone(int runId, int stage, int epoch, int step, int stepsPerEpoch, double loss) { }
        public void MessageAdded(int runId, string text) { }
    }

    [Fact]
    public void OnlyErrorsThatMeanNoServerAreRetried()
    {
        Assert.True(ReconnectingCalls.ServerAway(new Npgsql.NpgsqlException("refused", new System.Net.Sockets.SocketException(111))));
        Assert.False(ReconnectingCalls.ServerAway(new InvalidOperationException("a bug")));
        Assert.False(ReconnectingCalls.ServerAway(new Npgsql.NpgsqlException("no inner cause")));
    }
}
