using Medvis.Core.Storage;

namespace Medvis.Core.Lab;

/// <summary>
/// A cancelled run queued again: it keeps its last checkpoint when cancelled (<see cref="StoredRunExecutor"/>), and
/// the trainer continues from it. The same rule for the web app's worker and <c>medvis worker</c>; the host then
/// hands the run to its queue.
/// </summary>
public static class RunResumption
{
    /// <summary>Which ended runs keep their checkpoint (the others' are left-overs to clear).</summary>
    public static bool KeepsCheckpoint(RunStatus status) => status is RunStatus.Queued or RunStatus.Running or RunStatus.Cancelled;

    /// <summary>
    /// Marks a cancelled run queued again and notes where it continues; null when it is not cancelled (or gone),
    /// with the reason in <paramref name="refusal"/>.
    /// </summary>
    public static RunRecord? Requeue(IMedvisStore database, int runId, string who, out string? refusal)
    {
        var checkpoint = database.CheckpointsFor(runId).LoadLatest();
        string? why = null;
        var run = database.Runs.Update(runId, r =>
        {
            if (r.Status != RunStatus.Cancelled)
            {
                why = $"Run {runId} is {r.Status.ToString().ToLowerInvariant()}: only a cancelled run can be resumed.";
                return;
            }
            r.Status = RunStatus.Queued;
            r.CancelRequested = false;
            r.FinishedAtUtc = null;
            r.Error = null;
            r.Messages.Add(checkpoint is null
                ? $"Resumed by {who}; it had no checkpoint yet, so it starts from the beginning."
                : $"Resumed by {who}; it continues after epoch {checkpoint.GlobalEpoch} from its last checkpoint.");
        });
        refusal = run is null ? $"Run {runId} does not exist." : why;
        return refusal is null ? run : null;
    }
}
