using System.Net;
using System.Text.Json;
using Medvis.Core.Storage;
using Medvis.Web.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Medvis.Web.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Medvis.Web.Tests.Integration;

public sealed class HealthEndpointTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    [Fact]
    public async Task LivenessAndReadinessAnswerWithoutSignInAndReadinessChecksTheStoreAndTheDisk()
    {
        var disk = new ReportedVolume { Free = 10L << 30 };
        await using var app = new MedvisAppFactory(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:Storage:MinFreeMegabytes"] = "256" },
            s => s.AddSingleton<IStorageVolume>(disk));
        using var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var (liveStatus, live) = await GetAsync(anonymous, "/healthz");
        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal("Healthy", live.GetProperty("status").GetString());

        var (readyStatus, ready) = await GetAsync(anonymous, "/readyz");
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("store").GetProperty("status").GetString());
        Assert.Equal("10240 MB free", ready.GetProperty("checks").GetProperty("disk").GetProperty("description").GetString());
        Assert.Equal("runs train in this process: no queue to reach", ready.GetProperty("checks").GetProperty("queue").GetProperty("description").GetString());
        Assert.Equal("no run waits for a worker", ready.GetProperty("checks").GetProperty("workers").GetProperty("description").GetString());

        // A full disk (at the headroom writes keep) makes the app not ready, while it stays alive.
        disk.Free = 200L << 20;
        var (fullStatus, full) = await GetAsync(anonymous, "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, fullStatus);
        Assert.Equal("Unhealthy", full.GetProperty("status").GetString());
        Assert.StartsWith("200 MB free, at or below the 256 MB that Medvis:Storage:MinFreeMegabytes keeps",
            full.GetProperty("checks").GetProperty("disk").GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task AStoreThatDoesNotAnswerMakesTheAppNotReady()
    {
        await using var app = new MedvisAppFactory(_dir.File("medvis.db"));
        using var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);

        app.Services.GetRequiredService<IMedvisStore>().Dispose();
        var (status, body) = await GetAsync(anonymous, "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.StartsWith("the store does not answer", body.GetProperty("checks").GetProperty("store").GetProperty("description").GetString());
    }

    [Fact]
    public async Task QueuedRunsWithoutARunningInProcessWorkerMakeReadinessDegraded()
    {
        await using var app = new MedvisAppFactory(_dir.File("medvis.db"));
        using var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var worker = app.Services.GetServices<IHostedService>().OfType<TrainingWorker>().Single();
        await worker.Ready;
        // Stored as queued but never handed to the worker's queue: it waits, whatever the worker does.
        app.Services.GetRequiredService<IMedvisStore>().Runs.Add(new RunRecord { Name = "waiting", Status = RunStatus.Queued, CreatedAtUtc = DateTime.UtcNow });

        var (aliveStatus, alive) = await GetAsync(anonymous, "/readyz");
        Assert.Equal(HttpStatusCode.OK, aliveStatus);
        Assert.Equal("Healthy", alive.GetProperty("checks").GetProperty("workers").GetProperty("status").GetString());
        Assert.Equal("1 run(s) queued; the in-process worker is running", alive.GetProperty("checks").GetProperty("workers").GetProperty("description").GetString());

        await worker.StopAsync(CancellationToken.None);
        var (stoppedStatus, stopped) = await GetAsync(anonymous, "/readyz");

        // Degraded still answers 200: the app serves and queues; only training waits.
        Assert.Equal(HttpStatusCode.OK, stoppedStatus);
        Assert.Equal("Degraded", stopped.GetProperty("status").GetString());
        Assert.Equal("Degraded", stopped.GetProperty("checks").GetProperty("workers").GetProperty("status").GetString());
        Assert.Equal("1 run(s) queued but the in-process worker has stopped", stopped.GetProperty("checks").GetProperty("workers").GetProperty("description").GetString());
    }
}
