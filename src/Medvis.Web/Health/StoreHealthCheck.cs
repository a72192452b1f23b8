using Medvis.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Medvis.Web.Health;

/// <summary>Ready when the store answers a small query (LiteDB's file, or PostgreSQL in lab mode).</summary>
public sealed class StoreHealthCheck(IMedvisStore store) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var datasets = store.CountDatasetsNow();
            return Task.FromResult(HealthCheckResult.Healthy($"the store answers ({datasets} datasets)"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"the store does not answer: {e.Message.Split('\n')[0]}"));
        }
    }
}
