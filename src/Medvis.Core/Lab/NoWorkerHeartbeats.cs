namespace Medvis.Core.Lab;

/// <summary>The embedded default: runs train in the web app's own process, and no worker sends heartbeats.</summary>
public sealed class NoWorkerHeartbeats : IWorkerHeartbeats
{
    /// <inheritdoc />
    public IReadOnlyList<WorkerHeartbeat> All() => [];
}
