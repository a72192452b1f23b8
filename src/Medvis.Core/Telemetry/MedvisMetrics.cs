using System.Diagnostics.Metrics;
using Medvis.Core.Lab;
using Medvis.Core.Storage;

namespace Medvis.Core.Telemetry;

/// <summary>
/// Medvis' own instruments on the <see cref="MeterName"/> meter: plain <see cref="System.Diagnostics.Metrics"/>, so any
/// listener (OpenTelemetry in the web app, a test's collector) may read them and nothing here knows which. The meter
/// comes from <see cref="IMeterFactory"/> and lives as long as it. Recording costs next to nothing while nobody listens.
/// </summary>
public sealed class MedvisMetrics
{
    /// <summary>The meter's name, for exporters to subscribe to.</summary>
    public const string MeterName = "Medvis";

    private readonly Histogram<double> _epochSeconds;
    private readonly Histogram<double> _imagesPerSecond;
    private readonly Histogram<double> _snapshotRelayLag;
    private readonly UpDownCounter<long> _hubConnections;

    /// <summary>
    /// Creates the instruments. The observable ones read <paramref name="store"/> (runs by status) and
    /// <paramref name="workers"/> (the lab workers' heartbeats) each time a listener collects.
    /// </summary>
    public MedvisMetrics(IMeterFactory meters, IMedvisStore store, IWorkerHeartbeats workers, TimeProvider clock)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge(Names.Runs, () => RunsByStatus(store), "{run}", "Runs in each state (tag status), as stored");
        _epochSeconds = meter.CreateHistogram<double>(Names.EpochDuration, "s", "Wall time of a training epoch, snapshot and kNN included (tag stage)");
        _imagesPerSecond = meter.CreateHistogram<double>(Names.Throughput, "{image}/s", "Training images per second over an epoch (tag stage)");
        _snapshotRelayLag = meter.CreateHistogram<double>(Names.SnapshotRelayLag, "s",
            "From a worker announcing a map snapshot to the web app publishing it to the pages (lab mode)");
        _hubConnections = meter.CreateUpDownCounter<long>(Names.HubConnections, "{connection}", "Open SignalR connections to the training hub");
        meter.CreateObservableGauge(Names.WorkerHeartbeatAge, () => HeartbeatAges(workers, clock), "s",
            "Seconds since each lab worker's last heartbeat (tag worker)");
    }

    /// <summary>An epoch finished: its wall time and throughput, tagged with its stage.</summary>
    public void EpochFinished(EpochPoint point)
    {
        var stage = new KeyValuePair<string, object?>(Tags.Stage, point.Stage);
        // Runs stored before the epoch time was recorded say 0: no measurement rather than a false one.
        if (point.EpochSeconds > 0) _epochSeconds.Record(point.EpochSeconds, stage);
        if (point.ImagesPerSecond > 0) _imagesPerSecond.Record(point.ImagesPerSecond, stage);
    }

    /// <summary>A snapshot reached the pages <paramref name="lag"/> after its worker announced it.</summary>
    public void SnapshotRelayed(TimeSpan lag) => _snapshotRelayLag.Record(Math.Max(0, lag.TotalSeconds));

    /// <summary>A hub connection opened.</summary>
    public void HubConnected() => _hubConnections.Add(1);

    /// <summary>A hub connection closed.</summary>
    public void HubDisconnected() => _hubConnections.Add(-1);

    // A store or queue that does not answer yields no measurement: /readyz reports it, and a collection must not fail.
    private static IEnumerable<Measurement<int>> RunsByStatus(IMedvisStore store)
    {
        IReadOnlyDictionary<RunStatus, int> counts;
        try { counts = store.Runs.CountByStatus(); }
        catch (Exception e) when (e is not OutOfMemoryException) { return []; }
        return Enum.GetValues<RunStatus>().Select(status =>
            new Measurement<int>(counts.GetValueOrDefault(status), new KeyValuePair<string, object?>(Tags.Status, status.ToString().ToLowerInvariant())));
    }

    private static IEnumerable<Measurement<double>> HeartbeatAges(IWorkerHeartbeats workers, TimeProvider clock)
    {
        IReadOnlyList<WorkerHeartbeat> heartbeats;
        try { heartbeats = workers.All(); }
        catch (Exception e) when (e is not OutOfMemoryException) { return []; }
        var now = clock.GetUtcNow().UtcDateTime;
        return heartbeats.Select(h => new Measurement<double>(Math.Max(0, (now - h.LastHeardUtc).TotalSeconds),
            new KeyValuePair<string, object?>(Tags.Worker, h.Name)));
    }

    /// <summary>The instruments' names.</summary>
    public static class Names
    {
        /// <summary>Observable gauge, runs by status.</summary>
        public const string Runs = "medvis.runs";
        /// <summary>Histogram, seconds per epoch.</summary>
        public const string EpochDuration = "medvis.training.epoch.duration";
        /// <summary>Histogram, images per second.</summary>
        public const string Throughput = "medvis.training.throughput";
        /// <summary>Histogram, seconds from a worker's snapshot notice to the pages.</summary>
        public const string SnapshotRelayLag = "medvis.snapshot.relay.lag";
        /// <summary>Up-down counter, open hub connections.</summary>
        public const string HubConnections = "medvis.hub.connections";
        /// <summary>Observable gauge, seconds since each lab worker's heartbeat.</summary>
        public const string WorkerHeartbeatAge = "medvis.worker.heartbeat.age";
    }

    /// <summary>The tags the instruments carry.</summary>
    public static class Tags
    {
        /// <summary>A run's state, lower case.</summary>
        public const string Status = "status";
        /// <summary>The training stage (1 to 3).</summary>
        public const string Stage = "stage";
        /// <summary>A lab worker's Hangfire server name.</summary>
        public const string Worker = "worker";
    }
}
