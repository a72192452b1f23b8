using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Medvis.Core.Data;
using Medvis.Core.Runs;
using Medvis.Core.Storage;
using Medvis.Core.Telemetry;
using Medvis.Core.Training;
using Medvis.Web.Auth;
using Medvis.Web.Datasets;
using Medvis.Web.Tests.Support;
using Medvis.Web.Training;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Medvis.Web.Tests.Integration;

/// <summary>The app's metrics: off by default, read back through OpenTelemetry's in-memory exporter, scraped at /metrics when enabled.</summary>
[Collection(TrainingCollection.Name)]
public sealed class TelemetryTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ATinyDemoRunsEpochsThroughputHubConnectionAndRunCountsReachTheInMemoryExporter()
    {
        var exported = new List<MetricSnapshot>();
        await using var app = new MedvisAppFactory(_dir.File("medvis.db"), services: s =>
            s.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(exported)));
        var dataset = app.Services.GetRequiredService<DatasetService>().Register(Caller.System, "demo").Dataset!;
        var done = new TaskCompletionSource<RunStatusUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = await app.ConnectHubAsync(UserRole.Viewer);
        hub.On<RunStatusUpdate>(nameof(Hubs.ITrainingClient.Status), s =>
        {
            if (s.Status is RunStatus.Done or RunStatus.Failed or RunStatus.Cancelled) done.TrySetResult(s);
        });
        await hub.InvokeAsync(nameof(Hubs.TrainingHub.WatchAllRuns));
        var options = new TrainingOptions { Backbone = "tiny", BatchSize = 32, EpochsPerStage = [1, 1, 1], SnapshotEvery = 0, Device = "cpu", Seed = 2 };

        app.Services.GetRequiredService<RunPlanner>()
            .Queue(app.CallerOf(UserRole.Member), new RunRequest(dataset.Id, DatasetSplit.Train, options, MaxImages: 64));
        var finished = await done.Task.WaitAsync(RunTimeout);
        Assert.True(finished.Status == RunStatus.Done, finished.Error);
        Assert.True(app.Services.GetRequiredService<MeterProvider>().ForceFlush(30_000));

        var epochs = Latest(exported, MedvisMetrics.Names.EpochDuration);
        Assert.Equal("s", epochs.Unit);
        // One measurement per epoch, each in its stage: recorded once, where the epoch was reported.
        Assert.Equal([1, 2, 3], epochs.MetricPoints.Select(p => Convert.ToInt32(Tag(p, MedvisMetrics.Tags.Stage))).Order());
        Assert.All(epochs.MetricPoints, p => Assert.Equal(1, p.GetHistogramCount()));
        Assert.All(epochs.MetricPoints, p => Assert.True(p.GetHistogramSum() > 0));
        var throughput = Latest(exported, MedvisMetrics.Names.Throughput);
        Assert.Equal(3, throughput.MetricPoints.Sum(p => p.GetHistogramCount()));
        Assert.All(throughput.MetricPoints, p => Assert.True(p.GetHistogramSum() > 0));

        var hubConnections = Latest(exported, MedvisMetrics.Names.HubConnections);
        Assert.Equal(1, hubConnections.MetricPoints.Sum(p => p.GetSumLong()));
        var runs = Latest(exported, MedvisMetrics.Names.Runs).MetricPoints.ToDictionary(p => (string)Tag(p, MedvisMetrics.Tags.Status)!, p => p.GetGaugeLastValueLong());
        Assert.Equal(1, runs["done"]);
        Assert.Equal(0, runs["queued"]);
        // ASP.NET Core's own instruments come along.
        Assert.Contains(exported, m => m.Name == "http.server.request.duration");

        await hub.DisposeAsync();
        await Poll.UntilAsync(() =>
        {
            app.Services.GetRequiredService<MeterProvider>().ForceFlush(30_000);
            return Latest(exported, MedvisMetrics.Names.HubConnections).MetricPoints.Sum(p => p.GetSumLong()) == 0;
        }, TimeSpan.FromSeconds(30), "the closed hub connection to be counted off");
    }

    [Fact]
    public async Task WithoutAnExporterTheInstrumentsStayDisabledAndMetricsIsAbsent()
    {
        await using var app = new MedvisAppFactory(_dir.File("medvis.db"));
        using var admin = app.CreateClientAs(UserRole.Admin);
        using var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);

        // Nothing listens, so recording an epoch or a connection costs next to nothing.
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        _ = app.Services.GetRequiredService<MedvisMetrics>();
        var instruments = new List<Instrument>();
        using var listener = new MeterListener { InstrumentPublished = (instrument, _) => { if (instrument.Meter.Scope == factory) instruments.Add(instrument); } };
        listener.Start();
        Assert.Contains(instruments, i => i.Name == MedvisMetrics.Names.EpochDuration);
        Assert.All(instruments.Where(i => i.Meter.Name == MedvisMetrics.MeterName), i => Assert.False(i.Enabled, i.Name));
    }

    [Fact]
    public async Task WhenEnabledPrometheusScrapesMetricsWithoutSignIn()
    {
        await using var app = new MedvisAppFactory(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:Telemetry:Prometheus:Enabled"] = "true" });
        using var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);

        var response = await anonymous.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("medvis_runs{", body);
        Assert.Contains("status=\"queued\"", body);
        Assert.Contains("http_server_request_duration_seconds", body);
    }

    [Fact]
    public async Task WithAnOtlpEndpointTheMetricsArePushedToTheCollector()
    {
        // A stand-in collector: it only reads the first request's head.
        var collector = new TcpListener(IPAddress.Loopback, 0);
        collector.Start();
        try
        {
            var port = ((IPEndPoint)collector.LocalEndpoint).Port;
            await using var app = new MedvisAppFactory(_dir.File("medvis.db"), new Dictionary<string, string?>
            {
                ["Medvis:Telemetry:Otlp:Endpoint"] = $"http://127.0.0.1:{port}",
                ["Medvis:Telemetry:Otlp:Protocol"] = "http/protobuf",
                ["Medvis:Telemetry:Otlp:ExportIntervalSeconds"] = "1",
            });
            using var client = app.CreateClient();

            using var push = await collector.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(30));
            var head = await ReadHeadAsync(push.GetStream());

            Assert.StartsWith("POST /v1/metrics HTTP/1.1", head);
            Assert.Contains("application/x-protobuf", head, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            collector.Stop();
        }
    }

    [Fact]
    public async Task AnOtlpEndpointThatIsNoUrlStopsTheAppAtStart()
    {
        await using var app = new MedvisAppFactory(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:Telemetry:Otlp:Endpoint"] = "collector:4317" });

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("Medvis:Telemetry:Otlp", error.Message);
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[1024];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            if (read == 0) break;
            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return head.ToString();
    }

    private static MetricSnapshot Latest(List<MetricSnapshot> exported, string name)
    {
        lock (exported) return exported.Last(m => m.Name == name);
    }

    private static object? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
            if (tag.Key == key) return tag.Value;
        return null;
    }

}
