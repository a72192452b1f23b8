using System.Globalization;
using Medvis.Core.Lab;

namespace Medvis.Web.Health;

/// <summary>
/// Lab mode: a worker is there when one sent a heartbeat within the queue's heartbeat timeout, the time after which
/// the queue itself gives up on a silent worker's job.
/// </summary>
public sealed class LabWorkerPresence(IWorkerHeartbeats heartbeats, LabQueueSettings queue, TimeProvider clock) : IWorkerPresence
{
    /// <inheritdoc />
    public WorkerPresence Check()
    {
        var window = queue.HeartbeatTimeout.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture);
        IReadOnlyList<WorkerHeartbeat> all;
        try { all = heartbeats.All(); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new(false, $"the queue does not answer, so no worker can be heard: {e.Message.Split('\n')[0]}");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var heard = all.Count(h => now - h.LastHeardUtc <= queue.HeartbeatTimeout);
        return heard > 0
            ? new(true, $"{heard} worker(s) heard from in the last {window} s")
            : new(false, all.Count == 0 ? "no worker is registered with the queue" : $"none of {all.Count} registered worker(s) heard from in the last {window} s");
    }
}
