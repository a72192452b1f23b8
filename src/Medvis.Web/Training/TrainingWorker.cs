using Medvis.Core.Lab;
using Medvis.Core.Storage;
using Microsoft.Extensions.Options;

namespace Medvis.Web.Training;

/// <summary>
/// Drains the <see cref="TrainingQueue"/>: each run trains on its own long-running thread (the engine is
/// synchronous and keeps thread-local tensor scopes), at most <see cref="MedvisOptions.MaxConcurrentRuns"/> at once.
/// On start it queues again the runs a previous process left queued or running, so they resume.
/// </summary>
public sealed class TrainingWorker(
    TrainingQueue queue, StoredRunExecutor executor, RunCancellations cancellations, IMedvisStore database,
    TrainingNotifier notifier, IOptions<MedvisOptions> options, ILogger<TrainingWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // In lab mode `medvis worker` processes train; this app only queues.
        if (options.Value.Store != StoreKinds.LiteDb) return;
        RequeueUnfinishedRuns();
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

    private void RequeueUnfinishedRuns()
    {
        foreach (var run in database.Runs.WithStatus(RunStatus.Running, RunStatus.Queued))
        {
            if (run.Status == RunStatus.Running)
            {
                database.Runs.Update(run.Id, r => r.Status = RunStatus.Queued);
                notifier.Publish(new RunStatusUpdate(run.Id, RunStatus.Queued, null));
            }
            logger.LogInformation("Run {RunId} queued again after a restart", run.Id);
            queue.Enqueue(run.Id);
        }
    }
}
