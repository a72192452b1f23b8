using Medvis.Core.Storage;

namespace Medvis.Core.Lab;

/// <summary>
/// Where a training run's news goes besides the store: the web app's notifier when it trains in-process, a
/// PostgreSQL NOTIFY when a worker on another machine trains. Called on the training thread; must not block long.
/// </summary>
public interface IRunEvents
{
    /// <summary>The run changed state.</summary>
    void StatusChanged(int runId, RunStatus status, string? error);
    /// <summary>An epoch finished (already stored in the run's history).</summary>
    void EpochFinished(int runId, EpochPoint point);
    /// <summary>A new 2-D snapshot (already stored as the run's latest).</summary>
    void SnapshotTaken(int runId, SnapshotPoint snapshot);
    /// <summary>Progress within an epoch, a few times a second at most; not stored.</summary>
    void StepDone(int runId, int stage, int epoch, int step, int stepsPerEpoch, double loss);
    /// <summary>A log line (already stored in the run's messages).</summary>
    void MessageAdded(int runId, string text);
}
