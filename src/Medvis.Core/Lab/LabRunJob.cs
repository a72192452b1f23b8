using Hangfire;
using Medvis.Core.Storage;

namespace Medvis.Core.Lab;

/// <summary>What a worker needs to know to run lab jobs.</summary>
/// <param name="StartRule">Which runs it may start and what it records on them.</param>
/// <param name="CancelPollInterval">How often a training run checks its cancel flag.</param>
public sealed record LabWorkerSettings(RunStartRule StartRule, TimeSpan CancelPollInterval);

/// <summary>
/// The Hangfire job that trains one stored run on a worker: the same executor as the web app's own worker, plus the
/// cancel flag a user sets from another machine. The web app enqueues it; <c>medvis worker</c> performs it.
/// </summary>
public sealed class LabRunJob(StoredRunExecutor executor, IMedvisStore store, LabWorkerSettings settings)
{
    /// <summary>Trains run <paramref name="runId"/>; a shutdown leaves it queued and hands the job back to the queue.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="shutdown">Hangfire's token: cancelled when this worker drains.</param>
    // No automatic retries: a failed run is recorded as failed on the run itself, and lost workers are counted by
    // the executor's attempts.
    [AutomaticRetry(Attempts = 0)]
    public void Train(int runId, CancellationToken shutdown)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        RunExecution outcome;
        using (new CancelWatcher(store, runId, cancellation, settings.CancelPollInterval))
            outcome = executor.Execute(runId, cancellation.Token, shutdown, settings.StartRule);
        // Throwing on shutdown is how Hangfire learns to put the job back in its queue for another worker.
        if (outcome == RunExecution.Interrupted) shutdown.ThrowIfCancellationRequested();
    }

    /// <summary>Puts run <paramref name="run"/> in its device's queue; returns the Hangfire job id.</summary>
    public static string Enqueue(IBackgroundJobClient jobs, RunRecord run)
    {
        var queue = RunQueues.For(Training.TrainingOptionsJson.Deserialize(run.OptionsJson));
        return jobs.Create<LabRunJob>(job => job.Train(run.Id, CancellationToken.None), new Hangfire.States.EnqueuedState(queue));
    }
}
