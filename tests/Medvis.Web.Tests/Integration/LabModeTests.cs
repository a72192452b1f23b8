using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Hangfire;
using Hangfire.PostgreSql;
using Medvis.Core.Data;
using Medvis.Core.Lab;
using Medvis.Core.Runs;
using Medvis.Core.Storage;
using Medvis.Core.Storage.Postgres;
using Medvis.Core.Training;
using Medvis.Web.Auth;
using Medvis.Web.Datasets;
using Medvis.Web.Extensions;
using Medvis.Web.Tests.Support;
using Medvis.Web.Training;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Medvis.Web.Tests.Integration;

/// <summary>
/// The web app in lab mode (PostgreSQL store, Hangfire queue) against a real server, with a worker's Hangfire server
/// running beside it on its own store connection: what the web queues trains there, and the worker's progress comes
/// back to the hub through NOTIFY. Skipped without a server.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class LabModeTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private readonly TempFolder _dir = new();
    private PostgresTestServer? _server;

    private MedvisAppFactory StartApp()
    {
        _server = new PostgresTestServer();
        return new MedvisAppFactory(_dir.File("keys-only.db"), new Dictionary<string, string?>
        {
            ["Medvis:Store"] = StoreKinds.Postgres,
            ["ConnectionStrings:Medvis"] = _server.ConnectionString,
        });
    }

    [SkippableFact]
    public async Task TheQueueDashboardOpensForAdminsOnly()
    {
        await using var app = StartApp();
        Assert.IsType<PostgresStore>(app.Services.GetRequiredService<IMedvisStore>());

        using var admin = app.CreateClientAs(UserRole.Admin);
        using var member = app.CreateClientAs(UserRole.Member);

        var asAdmin = await admin.GetAsync("/hangfire");
        var asMember = await member.GetAsync("/hangfire");
        var anonymous = await app.CreateClient(new() { AllowAutoRedirect = false }).GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Contains("Hangfire", await asAdmin.Content.ReadAsStringAsync());
        // Pages send browsers to the access-denied and sign-in pages rather than answering with a bare status.
        Assert.Equal(HttpStatusCode.Found, asMember.StatusCode);
        Assert.StartsWith("/account/denied", asMember.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Found, anonymous.StatusCode);
        Assert.StartsWith("/account/login", anonymous.Headers.Location!.PathAndQuery);
    }

    [SkippableFact]
    public async Task ARunQueuedInTheWebTrainsOnAWorkerAndItsEpochsReachTheHub()
    {
        await using var app = StartApp();
        var dataset = app.Services.GetRequiredService<DatasetService>().Register(Caller.System, "demo").Dataset!;
        var epochs = new ConcurrentQueue<(RunEpochUpdate Update, long ReceivedAt)>();
        var done = new TaskCompletionSource<RunStatusUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = await app.ConnectHubAsync(UserRole.Viewer);
        hub.On<RunEpochUpdate>(nameof(Hubs.ITrainingClient.Epoch), e => epochs.Enqueue((e, Stopwatch.GetTimestamp())));
        hub.On<RunStatusUpdate>(nameof(Hubs.ITrainingClient.Status), s =>
        {
            if (s.Status is RunStatus.Done or RunStatus.Failed or RunStatus.Cancelled) done.TrySetResult(s);
        });
        await hub.InvokeAsync(nameof(Hubs.TrainingHub.WatchAllRuns));
        var options = new TrainingOptions { Backbone = "tiny", BatchSize = 32, EpochsPerStage = [2, 1, 1], SnapshotEvery = 1, SnapshotSize = 50, Device = "cpu", Seed = 2 };

        var run = app.Services.GetRequiredService<RunPlanner>()
            .Queue(app.CallerOf(UserRole.Member), new RunRequest(dataset.Id, DatasetSplit.Train, options, MaxImages: 96)).Runs[0];
        await hub.InvokeAsync<RunHistory?>(nameof(Hubs.TrainingHub.JoinRun), run.Id);
        var expectedHash = DatasetFingerprint.Of(new CatalogDatasetLoader().Load("demo", dataset.ImageSize, DatasetSplit.Train));
        Assert.Equal(expectedHash, app.Services.GetRequiredService<IMedvisStore>().Runs.Get(run.Id)!.DatasetContentHash);

        using var worker = new InProcessWorker(_server!.ConnectionString);
        var finished = await done.Task.WaitAsync(RunTimeout);

        Assert.True(finished.Status == RunStatus.Done, finished.Error);
        Assert.Equal([1, 2, 3, 4], epochs.Select(e => e.Update.Point.GlobalEpoch).Distinct().Order());
        var stored = app.Services.GetRequiredService<IMedvisStore>().Runs.Get(run.Id)!;
        Assert.NotNull(stored.LatestSnapshot);
        Assert.NotNull(app.Services.GetRequiredService<IMedvisStore>().Artifacts.LoadResult(run.Id));
        var latencies = epochs.Select(e => worker.Latency(e.Update.Point.GlobalEpoch, e.ReceivedAt)).Where(l => l is not null).Select(l => l!.Value.TotalMilliseconds).ToList();
        output.WriteLine($"enqueue to start: {(stored.StartedAtUtc!.Value - stored.CreatedAtUtc).TotalMilliseconds:F0} ms; epoch end to hub client: {string.Join(", ", latencies.Select(l => l.ToString("F0")))} ms");
        Assert.NotEmpty(latencies);
    }

    [SkippableFact]
    public async Task ACancelInTheWebStopsTheRunOnTheWorker()
    {
        await using var app = StartApp();
        var dataset = app.Services.GetRequiredService<DatasetService>().Register(Caller.System, "demo").Dataset!;
        var options = new TrainingOptions { Backbone = "tiny", BatchSize = 32, EpochsPerStage = [60, 5, 5], Device = "cpu", Seed = 2 };
        var member = app.CallerOf(UserRole.Member);
        var planner = app.Services.GetRequiredService<RunPlanner>();
        var store = app.Services.GetRequiredService<IMedvisStore>();
        var run = planner.Queue(member, new RunRequest(dataset.Id, DatasetSplit.Train, options, MaxImages: 256)).Runs[0];
        using var worker = new InProcessWorker(_server!.ConnectionString);
        await WaitUntil(() => store.Runs.Get(run.Id)!.History.Count > 0, RunTimeout);

        var clock = Stopwatch.StartNew();
        Assert.True(planner.Cancel(member, run.Id));
        await WaitUntil(() => store.Runs.Get(run.Id)!.Status != RunStatus.Running, TimeSpan.FromSeconds(30));

        Assert.Equal(RunStatus.Cancelled, store.Runs.Get(run.Id)!.Status);
        output.WriteLine($"cancel to stopped: {clock.ElapsedMilliseconds} ms");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the cancel took {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static Task WaitUntil(Func<bool> condition, TimeSpan timeout) => Poll.UntilAsync(condition, timeout, "the lab's state");

    public void Dispose()
    {
        _server?.Dispose();
        _dir.Dispose();
    }

    /// <summary>
    /// A worker as <c>medvis worker</c> builds it, in this process: its own store connection, the NOTIFY events and a
    /// Hangfire server on the cpu queue. Records when each epoch was announced, to time the trip to the hub.
    /// </summary>
    private sealed class InProcessWorker : IDisposable
    {
        private readonly PostgresStore _store;
        private readonly BackgroundJobServer _server;
        private readonly ConcurrentDictionary<int, long> _epochSentAt = new();

        public InProcessWorker(string connectionString)
        {
            _store = new PostgresStore(connectionString);
            var events = new TimedEvents(new PostgresRunEvents(_store.DataSource, NullLogger<PostgresRunEvents>.Instance), _epochSentAt);
            var executor = new StoredRunExecutor(_store, new MapRunPipeline(new CatalogDatasetLoader(), new TSimCneMapTrainer()), events,
                NullLogger<StoredRunExecutor>.Instance);
            var job = new LabRunJob(executor, _store, new LabWorkerSettings(new RunStartRule(true, 3, "test-worker", "cpu"), TimeSpan.FromSeconds(1)));
            var queueOptions = LabQueueStorage.Options(new LabQueueSettings { QueuePollInterval = TimeSpan.FromMilliseconds(500) });
            var storage = new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, queueOptions, null), queueOptions);
            _server = new BackgroundJobServer(
                new BackgroundJobServerOptions { Queues = [RunQueues.Cpu], WorkerCount = 1, Activator = new SingleJobActivator(job), ShutdownTimeout = TimeSpan.FromSeconds(20) },
                storage);
        }

        /// <summary>From the worker announcing epoch <paramref name="globalEpoch"/> to <paramref name="receivedAt"/>.</summary>
        public TimeSpan? Latency(int globalEpoch, long receivedAt) =>
            _epochSentAt.TryGetValue(globalEpoch, out var sent) ? Stopwatch.GetElapsedTime(sent, receivedAt) : null;

        public void Dispose()
        {
            _server.Dispose();
            _store.Dispose();
        }

        private sealed class SingleJobActivator(LabRunJob job) : JobActivator
        {
            public override object ActivateJob(Type jobType) => jobType == typeof(LabRunJob) ? job : base.ActivateJob(jobType);
        }

        private sealed class TimedEvents(IRunEvents inner, ConcurrentDictionary<int, long> epochSentAt) : IRunEvents
        {
            public void StatusChanged(int runId, RunStatus status, string? error) => inner.StatusChanged(runId, status, error);
            public void EpochFinished(int runId, EpochPoint point)
            {
                epochSentAt[point.GlobalEpoch] = Stopwatch.GetTimestamp();
                inner.EpochFinished(runId, point);
            }
            public void SnapshotTaken(int runId, SnapshotPoint snapshot) => inner.SnapshotTaken(runId, snapshot);
            public void StepDone(int runId, int stage, int epoch, int step, int stepsPerEpoch, double loss) => inner.StepDone(runId, stage, epoch, step, stepsPerEpoch, loss);
            public void MessageAdded(int runId, string text) => inner.MessageAdded(runId, text);
        }
    }
}
