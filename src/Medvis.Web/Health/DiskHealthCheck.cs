using System.Globalization;
using Medvis.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Medvis.Web.Health;

/// <summary>Ready while the store's volume has more free space than the headroom every write keeps (<see cref="FreeSpaceRule"/>).</summary>
public sealed class DiskHealthCheck(string folder, FreeSpaceRule rule, IStorageVolume? volume = null) : IHealthCheck
{
    private readonly IStorageVolume _volume = volume ?? LocalVolume.Instance;

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_volume.FreeBytes(folder) is not { } free)
            return Task.FromResult(HealthCheckResult.Healthy("the volume does not report its free space"));
        var megabytes = (free >> 20).ToString(CultureInfo.InvariantCulture);
        return Task.FromResult(free > rule.MinFreeBytes
            ? HealthCheckResult.Healthy($"{megabytes} MB free")
            : HealthCheckResult.Unhealthy($"{megabytes} MB free, at or below the {rule.MinFreeMegabytes.ToString(CultureInfo.InvariantCulture)} MB that {FreeSpaceRule.Setting} keeps: writes are refused"));
    }
}
