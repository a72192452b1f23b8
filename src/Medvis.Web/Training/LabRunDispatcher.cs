using Hangfire;
using Medvis.Core.Data;
using Medvis.Core.Lab;
using Medvis.Core.Storage;

namespace Medvis.Web.Training;

/// <summary>
/// Lab mode: runs become Hangfire jobs in their device's queue, served by <c>medvis worker</c> processes. Each run
/// is pinned to the content hash of its split as this app sees it, so a worker with other data refuses it; a cancel
/// sets the run's flag, which the training worker polls.
/// </summary>
public sealed class LabRunDispatcher(IMedvisStore database, IBackgroundJobClient jobs, IDatasetLoader datasets) : IRunDispatcher
{
    /// <inheritdoc />
    public void Enqueue(RunRecord run)
    {
        var hash = DatasetFingerprint.Of(datasets.Load(run.DatasetSpec, run.ImageSize, run.Split));
        var pinned = database.Runs.Update(run.Id, r => r.DatasetContentHash = hash) ?? run;
        LabRunJob.Enqueue(jobs, pinned);
    }

    /// <inheritdoc />
    public bool CancelRunning(int runId)
    {
        var flagged = false;
        database.Runs.Update(runId, r =>
        {
            if (r.Status != RunStatus.Running) return;
            r.CancelRequested = true;
            flagged = true;
        });
        return flagged;
    }
}
