using System.Diagnostics;
using Medvis.Core.Storage;

namespace Medvis.Web.Training;

/// <summary>
/// Trains one run start to finish on the calling thread and records the outcome: done with map, metrics and
/// model; cancelled; failed with the error; or queued again when the app shuts down mid-run (it resumes from
/// its checkpoint on the next start).
/// </summary>
public sealed class RunExecutor(
    MedvisDatabase database, TrainingDataLoader dataLoader, IMapTrainer trainer, IMapMetrics metrics,
    TrainingNotifier notifier, ILogger<RunExecutor> logger)
{
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
            var options = TrainingOptionsJson.Deserialize(run.OptionsJson);
            var data = dataLoader.Load(run, options.Seed);
            sink.AddMessage($"Training on {data.Images.Count} images of {run.DatasetName} ({run.Split}).");
            var result = trainer.Train(data.Images, options, sink, database.CheckpointsFor(runId), cancellation);
            using var model = result.Model;
            var (x, y) = Split(result.Coordinates);
            database.Artifacts.SaveResult(new RunResult(runId, x, y, data.Images.Labels, data.DatasetIndices, data.Images.ClassNames));
            database.Artifacts.SaveMetricsJson(runId, metrics.EvaluateToJson(x, y, data.Images.Labels, data.Images.ClassNames));
            database.Artifacts.SaveModel(runId, model.ToBytes());
            database.ClearCheckpoints(runId);
            Finish(runId, RunStatus.Done, null, clock, result.FinalLoss);
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
            Finish(runId, RunStatus.Failed, DatasetService.OneLine(e), clock, null);
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

    private static (float[] X, float[] Y) Split(float[,] coordinates)
    {
        var n = coordinates.GetLength(0);
        var x = new float[n];
        var y = new float[n];
        for (var i = 0; i < n; i++) { x[i] = coordinates[i, 0]; y[i] = coordinates[i, 1]; }
        return (x, y);
    }
}
