using Hangfire;

namespace Medvis.Core.Lab;

/// <summary>
/// The Hangfire servers registered in the lab queue's storage, each <c>medvis worker</c> process one of them. Hangfire
/// removes a server that stopped beating for its server timeout, so a dead worker may still be listed for a while
/// with an old heartbeat.
/// </summary>
public sealed class HangfireWorkerHeartbeats(JobStorage storage) : IWorkerHeartbeats
{
    /// <inheritdoc />
    public IReadOnlyList<WorkerHeartbeat> All() =>
        storage.GetMonitoringApi().Servers().Select(s => new WorkerHeartbeat(s.Name, AsUtc(s.Heartbeat ?? s.StartedAt))).ToList();

    // Hangfire keeps UTC times but may hand them back unspecified.
    private static DateTime AsUtc(DateTime time) => time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime();
}
