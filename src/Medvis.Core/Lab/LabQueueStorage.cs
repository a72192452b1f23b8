using Hangfire;
using Hangfire.PostgreSql;

namespace Medvis.Core.Lab;

/// <summary>
/// Hangfire's job storage in the Medvis PostgreSQL database (schema <c>hangfire</c>), set up the same way by the web
/// app that enqueues and the workers that train. A fetched job stays invisible to other workers while its worker's
/// heartbeat slides the timeout on; when a worker dies, the job reappears after <see cref="LabQueueSettings.HeartbeatTimeout"/>.
/// </summary>
public static class LabQueueStorage
{
    /// <summary>The schema Hangfire's tables live in, beside Medvis's own.</summary>
    public const string Schema = "hangfire";

    /// <summary>Points <paramref name="configuration"/> at the database with the lab's queue settings.</summary>
    public static IGlobalConfiguration UseMedvisLabStorage(this IGlobalConfiguration configuration, string connectionString, LabQueueSettings settings) =>
        configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString), Options(settings));

    /// <summary>The storage options the settings translate to.</summary>
    public static PostgreSqlStorageOptions Options(LabQueueSettings settings) => new()
    {
        SchemaName = Schema,
        PrepareSchemaIfNecessary = true,
        InvisibilityTimeout = settings.HeartbeatTimeout,
        UseSlidingInvisibilityTimeout = true,
        QueuePollInterval = settings.QueuePollInterval,
        EnableLongPolling = false,
    };
}

/// <summary>How quickly the lab queue notices work and lost workers.</summary>
public sealed record LabQueueSettings
{
    /// <summary>A job whose worker sent no heartbeat for this long is handed to another worker.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>How often idle workers look for jobs (new jobs also wake them through NOTIFY).</summary>
    public TimeSpan QueuePollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Why these settings cannot work, or null.</summary>
    public string? Problem() =>
        HeartbeatTimeout < TimeSpan.FromSeconds(10) ? "the heartbeat timeout must be at least 10 seconds"
        : QueuePollInterval <= TimeSpan.Zero || QueuePollInterval > TimeSpan.FromMinutes(1) ? "the queue poll interval must be between 0 and 60 seconds"
        : null;
}
