using System.Diagnostics;
using Medvis.Core.Runs;
using Medvis.Core.Storage;

namespace Medvis.Web.Training;

/// <summary>
/// Runs one stored run through the <see cref="MapRunPipeline"/> on the calling thread and records the outcome:
/// done with map, metrics, card and model; cancelled; failed with the error; or queued again when the app shuts
/// down mid-run (it resumes from its checkpoint on the next start). A run that ends drops its checkpoint.
/// </summary>
public sealed class RunExecutor(
    MedvisDatabase database, MapRunPipeline pipeline, TrainingNotifier notifier, IRunSinkFactory sinks, ILogger<RunExecutor> logger)
{
    /// <summary>Trains run <paramref name="runId"/> if it is still queued.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellation">Cancels this run (the user's cancel, or the shutdown).</param>
    /// <param name="shutdown">The app's shutdown: a run it interrupts is queued again instead of cancelled.</param>
    public void Execute(int runId, CancellationToken cancellation, CancellationToken shutdown)
    {
        var run = Start(runId);
        if (run is null) return;
        notifier.Publish(new RunStatusUpdate(runId, RunStatus.Running, null));
        var progress = new RunProgressSink(runId, database, notifier);
        var clock = Stopwatch.StartNew();
        try
        {
            var request = new MapRunRequest(
                new DatasetSelection(run.DatasetSpec, run.Split, run.ImageSize, run.MaxImages),
                TrainingOptionsJson.Deserialize(run.OptionsJson));
            var outcome = pipeline.Run(request, new StorageFailureSink(sinks.For(runId)), progress, cancellation);
            Finish(runId, RunStatus.Done, null, clock, outcome.FinalLoss);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            // A clean shutdown is no failed attempt: the run resumes on the next start.
            database.Runs.Update(runId, r =>
            {
                r.TrainingSeconds += clock.Elapsed.TotalSeconds;
                r.Status = RunStatus.Queued;
                r.Attempts = Math.Max(0, r.Attempts - 1);
            });
            logger.LogInformation("Run {RunId} interrupted by shutdown; it resumes from its checkpoint on the next start", runId);
        }
        catch (OperationCanceledException)
        {
            Finish(runId, RunStatus.Cancelled, null, clock, null);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Run {RunId} failed", runId);
            Finish(runId, RunStatus.Failed, UserErrors.Describe(e), clock, null);
        }
    }

    // Only a run still queued starts: a cancel may have landed between dequeuing and now. The attempt is counted
    // before training, so a process that dies mid-run leaves it counted (TrainingWorker reads it on the next start).
    private RunRecord? Start(int runId)
    {
        var started = false;
        var run = database.Runs.Update(runId, r =>
        {
            if (r.Status != RunStatus.Queued) return;
            r.Status = RunStatus.Running;
            r.StartedAtUtc ??= DateTime.UtcNow;
            r.Error = null;
            r.Attempts++;
            started = true;
        });
        return started ? run : null;
    }

    /// <summary>
    /// Records the outcome and drops the checkpoint. When the record cannot be written (the disk that failed the run
    /// is still full), the checkpoint goes first to free space and the write is tried once more; viewers hear the
    /// outcome either way, and a record left "running" is failed by its attempt count on a later start.
    /// </summary>
    private void Finish(int runId, RunStatus status, string? error, Stopwatch clock, double? finalLoss)
    {
        void Record() => database.Runs.Update(runId, r =>
        {
            r.Status = status;
            r.Error = error;
            r.FinishedAtUtc = DateTime.UtcNow;
            r.TrainingSeconds += clock.Elapsed.TotalSeconds;
            r.FinalLoss = finalLoss ?? r.FinalLoss;
            r.Attempts = 0;
        });
        try
        {
            Record();
            database.ClearCheckpoints(runId);
        }
        catch (IOException first)
        {
            logger.LogError(first, "Run {RunId}: the outcome {Status} could not be stored; freeing its checkpoint and trying again", runId, status);
            try
            {
                database.ClearCheckpoints(runId);
                Record();
            }
            catch (IOException second)
            {
                logger.LogCritical(second, "Run {RunId}: the outcome {Status} could not be stored", runId, status);
            }
        }
        notifier.Publish(new RunStatusUpdate(runId, status, error));
    }
}
