namespace Medvis.Core.Lab;

/// <summary>The heartbeats of the workers that serve the lab queue; none in the embedded default.</summary>
public interface IWorkerHeartbeats
{
    /// <summary>Every registered worker's last heartbeat; throws when the queue's storage does not answer.</summary>
    IReadOnlyList<WorkerHeartbeat> All();
}
