using Medvis.Core.Storage;

namespace Medvis.Web.Training;

/// <summary>Hands queued runs to whatever trains them and passes cancels on to it.</summary>
public interface IRunDispatcher
{
    /// <summary>Hands a newly stored queued run over for training.</summary>
    void Enqueue(RunRecord run);

    /// <summary>Asks a run that is training to stop; false when it is not training.</summary>
    bool CancelRunning(int runId);
}

/// <summary>The embedded default: the in-process <see cref="TrainingWorker"/> trains, and cancels go straight to its token.</summary>
public sealed class InProcessRunDispatcher(TrainingQueue queue, RunCancellations cancellations) : IRunDispatcher
{
    /// <inheritdoc />
    public void Enqueue(RunRecord run) => queue.Enqueue(run.Id);

    /// <inheritdoc />
    public bool CancelRunning(int runId) => cancellations.Cancel(runId);
}
