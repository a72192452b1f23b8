using System.Diagnostics;
using Medvis.Core.Runs;
using Medvis.Core.Storage;
using Medvis.Core.Training;
using Microsoft.Extensions.Logging;

namespace Medvis.Core.Lab;

/// <summary>How a stored run ended on this call.</summary>
public enum RunExecution
{
    /// <summary>Not started: it was no longer queued (cancelled, done, or taken by another worker).</summary>
    NotStarted,
    /// <summary>Trained and stored.</summary>
    Done,
    /// <summary>A user cancelled it.</summary>
    Cancelled,
    /// <summary>It failed; the error is on the run.</summary>
    Failed,
    /// <summary>The host shut down mid-run; the run is queued again and resumes from its checkpoint.</summary>
    Interrupted,
}

/// <summary>
/// Which runs a host may start. The web app's own worker starts queued runs only. A lab worker also takes a run that
/// is still marked running: its previous worker died, and the queue handed the job on after the heartbeat timeout.
/// Each start counts as an attempt; past <see cref="MaxAttempts"/> the run is failed instead.
/// </summary>
/// <param name="TakeOverLostRuns">Start runs marked running (lost by a dead worker).</param>
/// <param name="MaxAttempts">Starts allowed before a lost run is failed.</param>
/// <param name="WorkerName">Recorded on the run, e.g. "gpu-box-1/4711".</param>
/// <param name="AutoDevice">The device runs asking for "auto" train on here (null: decide per run).</param>
public sealed record RunStartRule(bool TakeOverLostRuns, int MaxAttempts, string WorkerName, string? AutoDevice = null)
{
    /// <summary>The web app's in-process worker: queued runs only.</summary>
    public static RunStartRule InProcess { get; } = new(false, int.MaxValue, "web");
}

/// <summary>
/// Runs one stored run through the <see cref="MapRunPipeline"/> on the calling thread and records the outcome:
/// done with map, metrics, card and model; cancelled; failed with the error; or queued again when the host shuts
/// down mid-run (it resumes from its checkpoint). A run that ends drops its checkpoint (a cancelled one keeps it, to be
/// resumed), and an I/O error while saving
/// ends it as a storage failure naming what was being saved. The same for the web app's worker and <c>medvis worker</c>.
/// </summary>
/// <param name="database">The store of runs.</param>
/// <param name="pipeline">Trains and evaluates.</param>
/// <param name="events">Where status and progress go.</param>
/// <param name="logger">Logs outcomes.</param>
/// <param name="sinks">Where checkpoints and artifacts go; the store itself when null.</param>
/// <param name="replay">How many snapshots a run keeps for its replay; <see cref="ReplaySettings.Default"/> when null.</param>
public sealed class StoredRunExecutor(
    IMedvisStore database, MapRunPipeline pipeline, IRunEvents events, ILogger<StoredRunExecutor> logger, IRunSinkFactory? sinks = null,
    ReplaySettings? replay = null)
{
    private readonly ReplaySettings _replay = replay ?? ReplaySettings.Default;
    private readonly IRunSinkFactory _sinks = sinks ?? new StoredRunSinkFactory(database);

    /// <summary>Trains run <paramref name="runId"/> if <paramref name="rule"/> lets it start.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellation">Cancels this run (the user's cancel, or the shutdown).</param>
    /// <param name="shutdown">The host's shutdown: a run it interrupts is queued again instead of cancelled.</param>
    /// <param name="rule">Which runs may start; <see cref="RunStartRule.InProcess"/> when null.</param>
    public RunExecution Execute(int runId, CancellationToken cancellation, CancellationToken shutdown, RunStartRule? rule = null)
    {
        rule ??= RunStartRule.InProcess;
        var run = Claim(runId, rule, out var endedAs);
        if (endedAs is { } ended)
        {
            events.StatusChanged(runId, ended.Status, ended.Error);
            return ended.Status == RunStatus.Failed ? RunExecution.Failed : RunExecution.Cancelled;
        }
        if (run is null) return RunExecution.NotStarted;
        events.StatusChanged(runId, RunStatus.Running, null);
        var progress = new StoredRunProgress(runId, database, events, _replay.MaxSnapshots);
        if (run.Attempts > 1) progress.AddMessage($"Attempt {run.Attempts} on {rule.WorkerName}: the previous worker was lost; resuming from the last checkpoint.");
        var clock = Stopwatch.StartNew();
        try
        {
            var options = TrainingOptionsJson.Deserialize(run.OptionsJson);
            if (rule.AutoDevice is { } device && string.Equals(options.Device, "auto", StringComparison.OrdinalIgnoreCase))
                options = options with { Device = device };
            // Timed runs keep part of their budget for the pixel baseline; fixed-epoch runs stay as they were.
            var request = new MapRunRequest(new DatasetSelection(run.DatasetSpec, run.Split, run.ImageSize, run.MaxImages), options,
                PixelBaseline: options.BudgetMinutes is not null);
            var outcome = pipeline.Run(request, new StorageFailureSink(_sinks.For(runId)), progress, cancellation, run.DatasetContentHash);
            Finish(runId, RunStatus.Done, null, clock, outcome.FinalLoss, shutdown);
            return RunExecution.Done;
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            database.Runs.Update(runId, r =>
            {
                r.TrainingSeconds += clock.Elapsed.TotalSeconds;
                r.Status = RunStatus.Queued;
                // A drained run was not lost: the next start is not a new attempt.
                r.Attempts = Math.Max(0, r.Attempts - 1);
            });
            events.StatusChanged(runId, RunStatus.Queued, null);
            logger.LogInformation("Run {RunId} interrupted by shutdown; it resumes from its checkpoint", runId);
            return RunExecution.Interrupted;
        }
        catch (OperationCanceledException)
        {
            Finish(runId, RunStatus.Cancelled, null, clock, null, shutdown);
            return RunExecution.Cancelled;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Run {RunId} failed", runId);
            Finish(runId, RunStatus.Failed, UserErrors.Describe(e), clock, null, shutdown);
            return RunExecution.Failed;
        }
    }

    // Marks the run running when the rule lets it start (a cancel may have landed between dequeuing and now). Ends it
    // instead when a cancel is pending or it ran out of attempts, reporting that in endedAs.
    private RunRecord? Claim(int runId, RunStartRule rule, out (RunStatus Status, string? Error)? endedAs)
    {
        (RunStatus, string?)? ended = null;
        var started = false;
        var run = database.Runs.Update(runId, r =>
        {
            var lost = r.Status == RunStatus.Running && rule.TakeOverLostRuns;
            if (r.Status != RunStatus.Queued && !lost) return;
            if (r.CancelRequested)
            {
                r.Status = RunStatus.Cancelled;
                r.FinishedAtUtc = DateTime.UtcNow;
                ended = (RunStatus.Cancelled, null);
                return;
            }
            if (r.Attempts >= rule.MaxAttempts)
            {
                var failure = $"Lost {r.Attempts} times (its worker stopped answering each time); failed after {rule.MaxAttempts} attempts.";
                r.Status = RunStatus.Failed;
                r.Error = failure;
                ended = (RunStatus.Failed, failure);
                r.FinishedAtUtc = DateTime.UtcNow;
                return;
            }
            r.Status = RunStatus.Running;
            r.StartedAtUtc ??= DateTime.UtcNow;
            r.AttemptStartedAtUtc = DateTime.UtcNow;
            r.Error = null;
            r.Attempts++;
            r.Worker = rule.WorkerName;
            started = true;
        });
        endedAs = ended;
        return started ? run : null;
    }

    /// <summary>
    /// Records the outcome and drops the checkpoint, except a cancelled run's: it can be resumed from it
    /// (<see cref="RunResumption"/>) until it is deleted. When the record cannot be written (the disk that failed the run
    /// is still full), the checkpoint goes first to free space and the write is tried once more; then viewers hear the
    /// outcome, and the record is tried again every <see cref="OutcomeRetryInterval"/> until the storage takes writes
    /// again (the run's slot stays taken meanwhile). A record still unwritten at shutdown is left "running", and the
    /// next start counts that as a lost attempt.
    /// </summary>
    private void Finish(int runId, RunStatus status, string? error, Stopwatch clock, double? finalLoss, CancellationToken shutdown)
    {
        void Record() => database.Runs.Update(runId, r =>
        {
            r.Status = status;
            r.Error = error;
            r.FinishedAtUtc = DateTime.UtcNow;
            r.TrainingSeconds += clock.Elapsed.TotalSeconds;
            r.FinalLoss = finalLoss ?? r.FinalLoss;
        });
        try
        {
            Record();
            if (status != RunStatus.Cancelled) database.ClearCheckpoints(runId);
        }
        catch (Exception first) when (StorageWriteFailures.Is(first))
        {
            logger.LogError(first, "Run {RunId}: the outcome {Status} could not be stored; freeing its checkpoint and trying again", runId, status);
            try
            {
                database.ClearCheckpoints(runId);
                Record();
            }
            catch (Exception second) when (StorageWriteFailures.Is(second))
            {
                events.StatusChanged(runId, status, error);
                RecordOnceStorageWorks(runId, status, Record, second, shutdown);
                return;
            }
        }
        events.StatusChanged(runId, status, error);
    }

    /// <summary>How often an outcome that could not be stored is tried again.</summary>
    public static TimeSpan OutcomeRetryInterval { get; } = TimeSpan.FromSeconds(2);

    private void RecordOnceStorageWorks(int runId, RunStatus status, Action record, Exception failure, CancellationToken shutdown)
    {
        logger.LogError(failure, "Run {RunId}: the outcome {Status} could not be stored; trying again every {Seconds} s until the storage takes writes",
            runId, status, OutcomeRetryInterval.TotalSeconds);
        while (!shutdown.WaitHandle.WaitOne(OutcomeRetryInterval))
        {
            try
            {
                record();
                logger.LogInformation("Run {RunId}: the outcome {Status} is stored now", runId, status);
                return;
            }
            catch (Exception e) when (StorageWriteFailures.Is(e)) { } // still no room: the first error was logged
        }
        logger.LogCritical("Run {RunId}: the outcome {Status} could not be stored before shutdown; the next start counts it as a lost attempt", runId, status);
    }
}
