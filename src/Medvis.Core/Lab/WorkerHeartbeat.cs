namespace Medvis.Core.Lab;

/// <summary>When a worker was last heard from.</summary>
/// <param name="Name">The worker's server name (host, process and instance).</param>
/// <param name="LastHeardUtc">Its last heartbeat, or its start before the first one.</param>
public sealed record WorkerHeartbeat(string Name, DateTime LastHeardUtc);
