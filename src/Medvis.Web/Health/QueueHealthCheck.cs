using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Medvis.Web.Health;

/// <summary>
/// Lab mode: unhealthy when the Hangfire queue's storage does not answer, as no run can then be queued or taken. The
/// embedded default has no queue to reach.
/// </summary>
public sealed class QueueHealthCheck(IOptions<MedvisOptions> options, IServiceProvider services) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (options.Value.Store != StoreKinds.Postgres)
            return Task.FromResult(HealthCheckResult.Healthy("runs train in this process: no queue to reach"));
        try
        {
            // Resolved here, inside the try: the storage is created on first use and connects to the database then.
            var statistics = services.GetRequiredService<JobStorage>().GetMonitoringApi().GetStatistics();
            return Task.FromResult(HealthCheckResult.Healthy(
                $"the queue answers ({statistics.Enqueued} job(s) waiting, {statistics.Processing} training, {statistics.Servers} worker(s) registered)"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"the queue does not answer: {e.Message.Split('\n')[0]}"));
        }
    }
}
