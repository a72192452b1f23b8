using System.Diagnostics;
using Medvis.Core.Storage;

namespace Medvis.Cli.Tests.Lab;

/// <summary>
/// <c>medvis worker</c> processes against a real PostgreSQL server (skipped without one): resuming a killed worker's
/// run elsewhere, cancelling across processes, queues per device and refusing other data.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class WorkerTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);

    [SkippableFact]
    public void AKilledWorkersRunFinishesOnAnotherWorkerWithTheCoordinatesOfAnUninterruptedRun()
    {
        using var lab = new LabCluster(heartbeatTimeout: TimeSpan.FromSeconds(10));
        // Enough epochs after the second checkpoint that the kill lands mid-run even on an idle, fast machine.
        var options = LabCluster.QuickOptions([16, 2, 2]);
        var first = lab.StartWorker();
        var reference = lab.Queue(options);
        lab.WaitFor(reference.Id, r => r.Status == RunStatus.Done, Generous, "done");

        var interrupted = lab.Queue(options);
        lab.WaitForCheckpoint(interrupted.Id, 2, Generous);
        first.Kill();
        first.WaitForExit();
        Assert.Equal(RunStatus.Running, lab.Store.Runs.Get(interrupted.Id)!.Status);
        var second = lab.StartWorker();
        var finished = lab.WaitFor(interrupted.Id, r => r.Status is RunStatus.Done or RunStatus.Failed, Generous + lab.HeartbeatTimeout, "ended");

        Assert.True(finished.Status == RunStatus.Done, finished.Error);
        Assert.Equal(2, finished.Attempts);
        Assert.EndsWith($"/{second.Id}", finished.Worker);
        var expected = lab.Store.Artifacts.LoadResult(reference.Id)!;
        var actual = lab.Store.Artifacts.LoadResult(interrupted.Id)!;
        Assert.Equal(expected.X, actual.X);
        Assert.Equal(expected.Y, actual.Y);
        Assert.Equal(expected.DatasetIndices, actual.DatasetIndices);
        Assert.Contains(finished.Messages, m => m.Contains("previous worker was lost"));
    }

    [SkippableFact]
    public void SigtermDrainsTheRunBackToItsQueueWhereTheNextWorkerResumesIt()
    {
        using var lab = new LabCluster(heartbeatTimeout: TimeSpan.FromSeconds(60));
        var first = lab.StartWorker();
        // Enough epochs after the first checkpoint that SIGTERM lands mid-run even on an idle, fast machine.
        var run = lab.Queue(LabCluster.QuickOptions([40, 2, 2]));
        lab.WaitForCheckpoint(run.Id, 1, Generous);

        var clock = Stopwatch.StartNew();
        using (var term = Process.Start("kill", ["-TERM", first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) term.WaitForExit();
        Assert.True(first.WaitForExit(30_000), "the worker did not exit within 30 s of SIGTERM");
        var drainSeconds = clock.Elapsed.TotalSeconds;
        var drained = lab.Store.Runs.Get(run.Id)!;
        Assert.Equal(RunStatus.Queued, drained.Status);
        Assert.Equal(0, drained.Attempts);

        // Handed back, not lost: the next worker starts it at once, well before the 60 s heartbeat timeout.
        lab.StartWorker();
        lab.WaitFor(run.Id, r => r.Status == RunStatus.Running, TimeSpan.FromSeconds(45), "running again");
        var finished = lab.WaitFor(run.Id, r => r.Status is RunStatus.Done or RunStatus.Failed, Generous, "ended");

        Assert.True(finished.Status == RunStatus.Done, finished.Error);
        Assert.Equal(1, finished.Attempts);
        Assert.Contains(finished.Messages, m => m.Contains("Resumed", StringComparison.OrdinalIgnoreCase));
        Console.WriteLine($"SIGTERM to exit: {drainSeconds:F1} s (exit code {first.ExitCode})");
    }

    [SkippableFact]
    public void ACancelSetInTheStoreStopsTheRunOnItsWorkerWithinSeconds()
    {
        using var lab = new LabCluster(heartbeatTimeout: TimeSpan.FromSeconds(30));
        lab.StartWorker();
        var run = lab.Queue(LabCluster.QuickOptions([50, 5, 5]), maxImages: 256);
        lab.WaitForCheckpoint(run.Id, 1, Generous);

        var clock = Stopwatch.StartNew();
        lab.Store.Runs.Update(run.Id, r => r.CancelRequested = true);
        var cancelled = lab.WaitFor(run.Id, r => r.Status != RunStatus.Running, TimeSpan.FromSeconds(30), "stopped");

        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the cancel took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [SkippableFact]
    public void ACancelledRunKeepsItsCheckpointAndAWorkerResumesItFromThereToTheEnd()
    {
        using var lab = new LabCluster(heartbeatTimeout: TimeSpan.FromSeconds(30));
        lab.StartWorker();
        var run = lab.Queue(LabCluster.QuickOptions([12, 1, 1]));
        lab.WaitForCheckpoint(run.Id, 2, Generous);
        lab.Store.Runs.Update(run.Id, r => r.CancelRequested = true);
        lab.WaitFor(run.Id, r => r.Status == RunStatus.Cancelled, TimeSpan.FromSeconds(60), "cancelled");
        var kept = lab.Store.CheckpointsFor(run.Id).LoadLatest();
        Assert.NotNull(kept);

        var queued = Core.Lab.RunResumption.Requeue(lab.Store, run.Id, "tester", out var refusal);
        Assert.Null(refusal);
        Assert.False(queued!.CancelRequested);
        Core.Lab.LabRunJob.Enqueue(lab.Jobs, queued);
        var done = lab.WaitFor(run.Id, r => r.Status is RunStatus.Done or RunStatus.Failed, Generous, "done");

        Assert.Equal(RunStatus.Done, done.Status);
        Assert.Contains(done.Messages, m => m.Contains($"continues after epoch {kept.GlobalEpoch}", StringComparison.Ordinal));
        Assert.Equal(14, done.History.Count);
        Assert.Equal(Enumerable.Range(1, 14), done.History.Select(e => e.GlobalEpoch));
        Assert.Null(lab.Store.CheckpointsFor(run.Id).LoadLatest());
        Assert.NotNull(lab.Store.Artifacts.LoadResult(run.Id));
        Assert.Null(Core.Lab.RunResumption.Requeue(lab.Store, run.Id, "tester", out var again));
        Assert.Contains("only a cancelled run", again);
    }

    [SkippableFact]
    public void ACudaRunIsNotTakenByACpuWorkerWhileCpuRunsAre()
    {
        using var lab = new LabCluster(heartbeatTimeout: TimeSpan.FromSeconds(30));
        lab.StartWorker("cpu");
        var cuda = lab.Queue(LabCluster.QuickOptions([1, 1, 1]) with { Device = "cuda" });
        var cpu = lab.Queue(LabCluster.QuickOptions([1, 1, 1]));

        lab.WaitFor(cpu.Id, r => r.Status == RunStatus.Done, Generous, "done");

        var waiting = lab.Store.Runs.Get(cuda.Id)!;
        Assert.Equal(RunStatus.Queued, waiting.Status);
        Assert.Equal(0, waiting.Attempts);
    }

    [SkippableFact]
    public void DataWhoseContentHashDiffersFromTheRegisteredOneFailTheRunNamingTheHashes()
    {
        using var lab = new LabCluster(heartbeatTimeout: TimeSpan.FromSeconds(30));
        lab.StartWorker();
        var run = lab.Queue(LabCluster.QuickOptions([1, 1, 1]), contentHash: "sha256:" + new string('0', 64));

        var failed = lab.WaitFor(run.Id, r => r.Status is RunStatus.Failed or RunStatus.Done, Generous, "ended");

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("content hash", failed.Error);
        Assert.Contains("sha256:" + new string('0', 64), failed.Error);
        Assert.Null(lab.Store.CheckpointsFor(run.Id).LoadLatest());
    }
}

/// <summary>Lab tests start worker processes that train: one at a time, on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LabCollection
{
    public const string Name = "lab";
}
