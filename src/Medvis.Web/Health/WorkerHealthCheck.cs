using Medvis.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Medvis.Web.Health;

/// <summary>
/// Degraded while runs are queued and no worker is there to take them (<see cref="IWorkerPresence"/>). Degraded, not
/// unhealthy: the app still serves its pages and queues runs, which start once a worker comes back.
/// </summary>
public sealed class WorkerHealthCheck(IMedvisStore store, IWorkerPresence presence) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        int queued;
        try { queued = store.Runs.CountByStatus().GetValueOrDefault(RunStatus.Queued); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Task.FromResult(HealthCheckResult.Degraded($"cannot count the queued runs: {e.Message.Split('\n')[0]}"));
        }
        if (queued == 0) return Task.FromResult(HealthCheckResult.Healthy("no run waits for a worker"));
        var found = presence.Check();
        return Task.FromResult(found.Present
            ? HealthCheckResult.Healthy($"{queued} run(s) queued; {found.Description}")
            : HealthCheckResult.Degraded($"{queued} run(s) queued but {found.Description}"));
    }
}
