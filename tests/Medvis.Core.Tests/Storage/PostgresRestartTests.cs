using Medvis.Core.Storage;
using Medvis.Core.Storage.Postgres;
using Medvis.Core.Training;

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

    [Fact]
    public void OnlyErrorsThatMeanNoServerAreRetried()
    {
        Assert.True(ReconnectingCalls.ServerAway(new Npgsql.NpgsqlException("refused", new System.Net.Sockets.SocketException(111))));
        Assert.False(ReconnectingCalls.ServerAway(new InvalidOperationException("a bug")));
        Assert.False(ReconnectingCalls.ServerAway(new Npgsql.NpgsqlException("no inner cause")));
    }
}
