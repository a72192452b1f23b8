using Medvis.Core.Storage;
using Medvis.Core.Training;

namespace Medvis.Core.Lab;

/// <summary>
/// Receives the trainer's events on the training thread: stores what late joiners need (epoch history, latest
/// snapshot, messages) and passes everything on to <see cref="IRunEvents"/>. Synchronous on purpose:
/// <see cref="Progress{T}"/> would post to the thread pool and could reorder events.
/// </summary>
/// <param name="runId">The run.</param>
/// <param name="database">Where history and snapshots go.</param>
/// <param name="events">Who hears about them.</param>
/// <param name="maxSnapshots">Snapshots kept for the replay (evenly thinned beyond that).</param>
public sealed class StoredRunProgress(int runId, IMedvisStore database, IRunEvents events, int maxSnapshots = ReplaySettings.DefaultMaxSnapshots)
    : IProgress<TrainingEvent>
{
    private static readonly TimeSpan StepInterval = TimeSpan.FromMilliseconds(250);
    private const int MaxMessages = 200;
    private DateTime _lastStepSentUtc = DateTime.MinValue;

    /// <inheritdoc />
    public void Report(TrainingEvent value)
    {
        switch (value)
        {
            case EpochCompleted e: OnEpoch(e); break;
            case EmbeddingSnapshot s: OnSnapshot(s); break;
            case StepProgress s: OnStep(s); break;
            case TrainingMessage m: AddMessage(m.Text); break;
            case CheckpointSaved: break; // frequent and not interesting to viewers
        }
    }

    /// <summary>Stores a log line and shows it to viewers.</summary>
    public void AddMessage(string text)
    {
        Store("run log", r =>
        {
            r.Messages.Add(text);
            if (r.Messages.Count > MaxMessages) r.Messages.RemoveRange(0, r.Messages.Count - MaxMessages);
        });
        events.MessageAdded(runId, text);
    }

    private void OnEpoch(EpochCompleted e)
    {
        var point = new EpochPoint
        {
            Stage = e.Stage, Epoch = e.Epoch, EpochsInStage = e.EpochsInStage, GlobalEpoch = e.GlobalEpoch,
            TotalEpochs = e.TotalEpochs, Loss = e.Loss, LearningRate = e.LearningRate, ImagesPerSecond = e.ImagesPerSecond,
            ElapsedSeconds = e.Elapsed.TotalSeconds, EtaSeconds = e.EstimatedRemaining?.TotalSeconds,
            EtaRough = e.Eta?.Rough ?? false, SpeedUp = e.Eta?.SpeedUp, EpochSeconds = e.EpochSeconds, KnnAccuracy = e.KnnAccuracy,
        };
        // After a resume the trainer repeats epochs past its checkpoint: the new points replace the old ones.
        Store("epoch history", r =>
        {
            r.History.RemoveAll(p => p.GlobalEpoch >= point.GlobalEpoch);
            r.History.Add(point);
        });
        events.EpochFinished(runId, point);
    }

    private void OnSnapshot(EmbeddingSnapshot s)
    {
        var snapshot = new SnapshotPoint
        {
            Stage = s.Stage, Epoch = s.Epoch, GlobalEpoch = s.GlobalEpoch, Indices = s.Indices, Labels = s.Labels, X = s.X, Y = s.Y,
        };
        Store("2-D snapshot", r => r.LatestSnapshot = snapshot);
        Write("2-D snapshot history", () => database.Snapshots.Add(runId, snapshot, maxSnapshots));
        events.SnapshotTaken(runId, snapshot);
    }

    private void Store(string what, Action<RunRecord> change) => Write(what, () => database.Runs.Update(runId, change));

    // A failed write ends the run as a storage failure rather than as whatever the trainer was doing.
    private static void Write(string what, Action write)
    {
        try { write(); }
        catch (Exception e) when (e is not RunStorageException && StorageWriteFailures.Is(e)) { throw new RunStorageException(what, e); }
    }

    private void OnStep(StepProgress s)
    {
        var now = DateTime.UtcNow;
        if (now - _lastStepSentUtc < StepInterval) return;
        _lastStepSentUtc = now;
        events.StepDone(runId, s.Stage, s.Epoch, s.Step, s.StepsPerEpoch, s.Loss);
    }
}
