namespace Medvis.Web.Health;

/// <summary>What <see cref="IWorkerPresence.Check"/> found.</summary>
/// <param name="Present">A worker is there to take the queued runs.</param>
/// <param name="Description">One line saying which, or why none.</param>
public sealed record WorkerPresence(bool Present, string Description);
