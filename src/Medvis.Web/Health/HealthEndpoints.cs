using System.Text.Json;
using Medvis.Core.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Medvis.Web.Health;

/// <summary>
/// <c>/healthz</c> (the process serves requests: for a systemd watchdog or a load balancer's liveness probe) and
/// <c>/readyz</c> (the store answers, its volume has room, the lab queue answers, and a worker is there when runs wait:
/// for a readiness probe). Both answer without sign-in and tell nothing but the checks' names, status and one line
/// each. A degraded check (queued runs and no worker) still answers 200: the app serves and queues, only training waits.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>The tag of the checks <c>/readyz</c> runs.</summary>
    public const string Ready = "ready";

    /// <summary>Registers the checks; <paramref name="baseFolder"/> resolves the LiteDB path as the store does.</summary>
    public static IServiceCollection AddMedvisHealthChecks(this IServiceCollection services, string baseFolder)
    {
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: [Ready])
            .AddCheck<QueueHealthCheck>("queue", tags: [Ready])
            .AddCheck<WorkerHealthCheck>("workers", tags: [Ready])
            .Add(new HealthCheckRegistration("disk", sp =>
            {
                var options = sp.GetRequiredService<IOptions<MedvisOptions>>().Value;
                var folder = Path.GetDirectoryName(Path.GetFullPath(Path.Combine(baseFolder, options.DatabasePath)))!;
                return new DiskHealthCheck(folder, options.Storage.FreeSpace, sp.GetService<IStorageVolume>());
            }, HealthStatus.Unhealthy, [Ready]));
        return services;
    }

    /// <summary>Maps the two endpoints, open to anonymous callers.</summary>
    public static void MapMedvisHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync }).AllowAnonymous();
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }
}
