using Medvis.Core.Lab;
using Medvis.Core.Storage;
using Medvis.Core.Telemetry;

namespace Medvis.Web.Training;

/// <summary>
/// A run trained in this process: its news as <see cref="RunUpdate"/>s on the <see cref="TrainingNotifier"/> (pages and
/// the hub), its epochs also in the metrics (lab runs' epochs are recorded where <see cref="RunEventRelay"/> hears them).
/// </summary>
public sealed class NotifierRunEvents(TrainingNotifier notifier, MedvisMetrics metrics) : IRunEvents
{
    /// <inheritdoc />
    public void StatusChanged(int runId, RunStatus status, string? error) => notifier.Publish(new RunStatusUpdate(runId, status, error));
    /// <inheritdoc />
    public void EpochFinished(int runId, EpochPoint point)
    {
        metrics.EpochFinished(point);
        notifier.Publish(new RunEpochUpdate(runId, point));
    }
    /// <inheritdoc />
    public void SnapshotTaken(int runId, SnapshotPoint snapshot) => notifier.Publish(new RunSnapshotUpdate(runId, snapshot));
    /// <inheritdoc />
    public void StepDone(int runId, int stage, int epoch, int step, int stepsPerEpoch, double loss) =>
        notifier.Publish(new RunStepUpdate(runId, stage, epoch, step, stepsPerEpoch, loss));
    /// <inheritdoc />
    public void MessageAdded(int runId, string text) => notifier.Publish(new RunMessageUpdate(runId, text));
}
