using Medvis.Core.Lab;
using Medvis.Core.Storage;
using Microsoft.Extensions.Options;

namespace Medvis.Web.Training;

/// <summary>
/// Drains the <see cref="TrainingQueue"/>: each run trains on its own long-running thread (the engine is
/// synchronous and keeps thread-local tensor scopes), at most <see cref="MedvisOptions.MaxConcurrentRuns"/> at once.
/// On start it queues again the runs a previous process left queued or running, so they resume, fails those whose
/// process died <see cref="MedvisOptions.MaxRunAttempts"/> times, and removes checkpoints of ended runs. In lab mode
/// (a PostgreSQL store) <c>medvis worker</c> processes train and this app only queues; it still removes the
/// checkpoints of ended runs on start.
/// </summary>
public sealed class TrainingWorker(
    TrainingQueue queue, StoredRunExecutor executor, RunCancellations cancellations, IMedvisStore database,
    TrainingNotifier notifier, DatabaseMaintenance maintenance, IOptions<MedvisOptions> options, ILogger<TrainingWorker> logger) : BackgroundService
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the start-up work (resuming, failing abandoned runs, removing stale checkpoints) is done.</summary>
    public Task Ready => _ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var trainsHere = options.Value.Store == StoreKinds.LiteDb;
        try
        {
            if (trainsHere) RequeueUnfinishedRuns();
            // Checkpoints of ended runs are dead weight: a process that stopped between a run's outcome and its
            // clean-up, or an older version that kept them, leaves them behind.
            if (maintenance.RemoveCheckpointsOfEndedRuns() is var removed and > 0)
                logger.LogInformation("Removed the checkpoints of {Count} ended run(s)", removed);
        }
        finally
        {
            _ready.TrySetResult();
        }
        if (!trainsHere) return;
        using var slots = new SemaphoreSlim(Math.Max(1, options.Value.MaxConcurrentRuns));
        var active = new List<Task>();
        try
        {
            await foreach (var runId in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                active.RemoveAll(t => t.IsCompleted);
                if (database.Runs.Get(runId) is not { Status: RunStatus.Queued })
                {
                    slots.Release(); // cancelled while waiting, or queued twice
                    continue;
                }
                active.Add(Start(runId, slots, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Let running runs notice the shutdown and leave a resumable state.
        await Task.WhenAll(active);
    }

    private Task Start(int runId, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        var cancellation = cancellations.Begin(runId, stoppingToken);
        return Task.Factory.StartNew(() =>
        {
            try { executor.Execute(runId, cancellation.Token, stoppingToken); }
            catch (Exception e) { logger.LogError(e, "Run {RunId} could not be recorded", runId); }
            finally
            {
                cancellations.End(runId);
                slots.Release();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    // A run found "running" was left so by a process that died. It resumes, unless that happened too often.
    private void RequeueUnfinishedRuns()
    {
        var maxAttempts = options.Value.MaxRunAttempts;
        foreach (var run in database.Runs.WithStatus(RunStatus.Running, RunStatus.Queued))
        {
            if (run.Status == RunStatus.Running && run.Attempts >= maxAttempts)
            {
                FailAbandoned(run, maxAttempts);
                continue;
            }
            if (run.Status == RunStatus.Running)
            {
                database.Runs.Update(run.Id, r =>
                {
                    r.Status = RunStatus.Queued;
                    r.Messages.Add($"The server stopped while this run trained (attempt {r.Attempts} of {maxAttempts}); it continues from its last checkpoint.");
                });
                notifier.Publish(new RunStatusUpdate(run.Id, RunStatus.Queued, null));
            }
            logger.LogInformation("Run {RunId} queued again after a restart", run.Id);
            queue.Enqueue(run.Id);
        }
    }

    private void FailAbandoned(RunRecord run, int maxAttempts)
    {
        var reached = run.History.Count == 0 ? "before its first epoch ended" : $"last after epoch {run.History[^1].GlobalEpoch} of {run.History[^1].TotalEpochs}";
        var error = $"the server process ended {run.Attempts} times while this run trained ({reached}), so it was not started again; " +
            $"look for a crash or an out-of-memory kill in the server log (Medvis:MaxRunAttempts sets the limit of {maxAttempts})";
        database.Runs.Update(run.Id, r =>
        {
            r.Status = RunStatus.Failed;
            r.Error = error;
            r.FinishedAtUtc = DateTime.UtcNow;
        });
        database.ClearCheckpoints(run.Id);
        notifier.Publish(new RunStatusUpdate(run.Id, RunStatus.Failed, error));
        logger.LogWarning("Run {RunId} failed after {Attempts} attempts that ended with the process", run.Id, run.Attempts);
    }
}
