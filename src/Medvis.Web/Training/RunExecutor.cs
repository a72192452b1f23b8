using System.Diagnostics;
using Medvis.Core.Runs;
using Medvis.Core.Storage;

namespace Medvis.Web.Training;

/// <summary>
/// Runs one stored run through the <see cref="MapRunPipeline"/> on the calling thread and records the outcome:
/// done with map, metrics, card and model; cancelled; failed with the error; or queued again when the app shuts
/// down mid-run (it resumes from its checkpoint on the next start).
/// </summary>
public sealed class RunExecutor(IMedvisStore database, MapRunPipeline pipeline, TrainingNotifier notifier, ILogger<RunExecutor> logger)
{
    /// <summary>Trains run <paramref name="runId"/> if it is still queued.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellation">Cancels this run (the user's cancel, or the shutdown).</param>
    /// <param name="shutdown">The app's shutdown: a run it interrupts is queued again instead of cancelled.</param>
    public void Execute(int runId, CancellationToken cancellation, CancellationToken shutdown)
    {
        // Only a run still queued starts: a cancel may have landed between dequeuing and now.
        var started = false;
        var run = database.Runs.Update(runId, r =>
        {
            if (r.Status != RunStatus.Queued) return;
            r.Status = RunStatus.Running;
            r.StartedAtUtc ??= DateTime.UtcNow;
            r.Error = null;
            started = true;
        });
        if (run is null || !started) return;
        notifier.Publish(new RunStatusUpdate(runId, RunStatus.Running, null));
        var sink = new RunProgressSink(runId, database, notifier);
        var clock = Stopwatch.StartNew();
        try
        {
            var request = new MapRunRequest(
                new DatasetSelection(run.DatasetSpec, run.Split, run.ImageSize, run.MaxImages),
                TrainingOptionsJson.Deserialize(run.OptionsJson));
            var outcome = pipeline.Run(request, new StoredRunSink(database, runId), sink, cancellation);
            database.ClearCheckpoints(runId);
            Finish(runId, RunStatus.Done, null, clock, outcome.FinalLoss);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            AddTime(runId, clock);
            database.Runs.Update(runId, r => r.Status = RunStatus.Queued);
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

    private void Finish(int runId, RunStatus status, string? error, Stopwatch clock, double? finalLoss)
    {
        database.Runs.Update(runId, r =>
        {
            r.Status = status;
            r.Error = error;
            r.FinishedAtUtc = DateTime.UtcNow;
            r.TrainingSeconds += clock.Elapsed.TotalSeconds;
            r.FinalLoss = finalLoss ?? r.FinalLoss;
        });
        notifier.Publish(new RunStatusUpdate(runId, status, error));
    }

    private void AddTime(int runId, Stopwatch clock) =>
        database.Runs.Update(runId, r => r.TrainingSeconds += clock.Elapsed.TotalSeconds);
}
