using System.Net;
using System.Text.Json;
using Hangfire;
using Medvis.Core.Lab;
using Medvis.Core.Storage;
using Medvis.Core.Storage.Postgres;
using Medvis.Core.Telemetry;
using Medvis.Web.Extensions;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Medvis.Web.Tests.Integration;

/// <summary>
/// /readyz and the lab metrics in lab mode against a real PostgreSQL server: the queue answers, queued runs wait for a
/// worker's heartbeat, snapshots relayed from a worker are timed, and a database that goes away makes the app not
/// ready. Skipped without a server.
/// </summary>
public sealed class LabReadinessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempFolder _dir = new();
    private readonly List<MetricSnapshot> _exported = [];
    private PostgresTestServer? _server;

    private MedvisAppFactory StartApp()
    {
        _server = new PostgresTestServer();
        return new MedvisAppFactory(_dir.File("keys-only.db"), new Dictionary<string, string?>
        {
            ["Medvis:Store"] = StoreKinds.Postgres,
            ["ConnectionStrings:Medvis"] = _server.ConnectionString,
        }, s => s.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(_exported)));
    }

    [SkippableFact]
    public async Task QueuedRunsMakeReadinessDegradedUntilAWorkerBeatsAndTheHeartbeatIsMeasured()
    {
        await using var app = StartApp();
        using var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });

        var (readyStatus, ready) = await GetAsync(anonymous, "/readyz");
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        Assert.Equal("Healthy", Check(ready, "queue").Status);
        Assert.StartsWith("the queue answers", Check(ready, "queue").Description);
        Assert.Equal("no run waits for a worker", Check(ready, "workers").Description);

        app.Services.GetRequiredService<IMedvisStore>().Runs.Add(new RunRecord { Name = "waiting", Status = RunStatus.Queued, CreatedAtUtc = DateTime.UtcNow });
        var (waitingStatus, waiting) = await GetAsync(anonymous, "/readyz");
        Assert.Equal(HttpStatusCode.OK, waitingStatus);
        Assert.Equal("Degraded", waiting.GetProperty("status").GetString());
        Assert.Equal(("Degraded", "1 run(s) queued but no worker is registered with the queue"), Check(waiting, "workers"));

        // A worker's Hangfire server on a queue of its own: it beats, and takes nothing.
        using (new BackgroundJobServer(new BackgroundJobServerOptions { Queues = ["readiness-probe"], ServerName = "probe", WorkerCount = 1 },
                   app.Services.GetRequiredService<JobStorage>()))
        {
            await Poll.UntilAsync(async () => Check((await GetAsync(anonymous, "/readyz")).Body, "workers").Status == "Healthy",
                Timeout, "the worker's heartbeat to make /readyz healthy");
            var (_, heard) = await GetAsync(anonymous, "/readyz");
            Assert.Equal("1 run(s) queued; 1 worker(s) heard from in the last 120 s", Check(heard, "workers").Description);

            Assert.True(app.Services.GetRequiredService<MeterProvider>().ForceFlush(30_000));
            var ages = Latest(MedvisMetrics.Names.WorkerHeartbeatAge);
            var probe = Assert.Single(ages.MetricPoints, p => Tag(p, MedvisMetrics.Tags.Worker) is string name && name.StartsWith("probe", StringComparison.Ordinal));
            Assert.InRange(probe.GetGaugeLastValueDouble(), 0, 120);
        }
    }

    [SkippableFact]
    public async Task ASnapshotAWorkerAnnouncesIsRelayedAndItsLagMeasured()
    {
        await using var app = StartApp();
        var store = (PostgresStore)app.Services.GetRequiredService<IMedvisStore>();
        var snapshot = new SnapshotPoint { Stage = 2, Epoch = 0, GlobalEpoch = 2, Indices = [0, 1], Labels = [0, 1], X = [0f, 1f], Y = [1f, 0f] };
        var run = store.Runs.Add(new RunRecord { Name = "on a worker", Status = RunStatus.Running, CreatedAtUtc = DateTime.UtcNow, LatestSnapshot = snapshot });
        var events = new PostgresRunEvents(store.DataSource, NullLogger<PostgresRunEvents>.Instance);
        var meterProvider = app.Services.GetRequiredService<MeterProvider>();

        // The relay LISTENs from a background service: announce again until one arrives.
        await Poll.UntilAsync(() =>
        {
            events.SnapshotTaken(run.Id, snapshot);
            meterProvider.ForceFlush(30_000);
            return _exported.Any(m => m.Name == MedvisMetrics.Names.SnapshotRelayLag);
        }, Timeout, "a relayed snapshot's lag");

        var lag = Assert.Single(Latest(MedvisMetrics.Names.SnapshotRelayLag).MetricPoints);
        Assert.Equal("s", Latest(MedvisMetrics.Names.SnapshotRelayLag).Unit);
        Assert.True(lag.GetHistogramCount() >= 1);
        Assert.InRange(lag.GetHistogramSum() / lag.GetHistogramCount(), 0, Timeout.TotalSeconds);
    }

    [SkippableFact]
    public async Task ADatabaseThatGoesAwayMakesTheStoreAndTheQueueUnhealthy()
    {
        await using var app = StartApp();
        using var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);

        _server!.Dispose();
        var (status, body) = await GetAsync(anonymous, "/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", Check(body, "store").Status);
        Assert.Equal("Unhealthy", Check(body, "queue").Status);
        Assert.StartsWith("the queue does not answer", Check(body, "queue").Description);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
    }

    public void Dispose()
    {
        _server?.Dispose();
        _dir.Dispose();
    }

    private MetricSnapshot Latest(string name)
    {
        lock (_exported) return _exported.Last(m => m.Name == name);
    }

    private static object? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
            if (tag.Key == key) return tag.Value;
        return null;
    }

    private static (string? Status, string? Description) Check(JsonElement body, string name)
    {
        var check = body.GetProperty("checks").GetProperty(name);
        return (check.GetProperty("status").GetString(), check.GetProperty("description").GetString());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

}
