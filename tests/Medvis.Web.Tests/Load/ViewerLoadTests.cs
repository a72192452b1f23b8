using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Medvis.Core.Data;
using Medvis.Core.Runs;
using Medvis.Core.Storage;
using Medvis.Core.Training;
using Medvis.Web.Auth;
using Medvis.Web.Datasets;
using Medvis.Web.Hubs;
using Medvis.Web.Tests.Support;
using Medvis.Web.Training;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Medvis.Web.Tests.Load;

/// <summary>
/// 30 signed-in viewers on real WebSocket connections to Kestrel on loopback watch training runs on the demo (small
/// backbone, 1,024 images). Runs without and with viewers go A B B A after two warm-up runs, so that a drift of the
/// machine's speed falls alike on both, and every viewer must receive every epoch live. The run's wall-clock speed
/// watched must stay within 15% of its speed alone; so must what serving costs in CPU time (one run's updates
/// replayed to the viewers, against a run alone), which other jobs on the machine do not move. The viewers' clients
/// run in this process, so both overstate the server's cost. Bounded to three minutes.
/// </summary>
[Collection(nameof(LoadCollection))]
public sealed class ViewerLoadTests(ITestOutputHelper output) : IDisposable
{
    private const int Viewers = 30;
    private const double MaxSlowdown = 0.15;
    private const long MaxHeapGrowthBytes = 32L << 20;
    private static readonly TimeSpan TestBudget = TimeSpan.FromMinutes(3);
    private readonly TempFolder _dir = new();

    private static TrainingOptions LoadOptions => new()
    {
        Backbone = "small", BatchSize = 64, EpochsPerStage = [1, 1, 1], SnapshotEvery = 1, SnapshotSize = 100, Device = "cpu", Seed = 5,
    };

    [Fact]
    public async Task ThirtyViewersReceiveEveryEpochWithFlatMemoryAndLittleSlowdown()
    {
        using var budget = new CancellationTokenSource(TestBudget);
        var gate = new GatedTrainer();
        await using var app = new KestrelApp(_dir.File("medvis.db"), new Dictionary<string, string?>(),
            s => s.AddSingleton<IMapTrainer>(gate));
        var dataset = app.Services.GetRequiredService<DatasetService>().Register(Caller.System, DatasetService.DemoSpec).Dataset!;
        var viewerId = app.Services.GetRequiredService<IMedvisStore>().Users.Add("load-viewer", UserRole.Viewer).Id;

        var alone = new List<RunCost>();
        var watched = new List<RunCost>();
        var recorded = new ConcurrentQueue<RunUpdate>();
        await RunAsync(app, gate, dataset.Id, viewers: [], budget.Token, recorded); // also warms the dataset cache, JIT and libtorch
        await RunAsync(app, gate, dataset.Id, viewers: [], budget.Token); // the second run is still faster than the first

        var viewers = await Task.WhenAll(Enumerable.Range(0, Viewers).Select(_ => ConnectAsync(app, viewerId, budget.Token)));
        try
        {
            var heapBefore = Heap();
            var servingCpu = await ReplayAsync(app, viewers, recorded.ToList(), budget.Token);
            // A B B A: a drift of the machine's speed over the four runs falls alike on both.
            alone.Add(await RunAsync(app, gate, dataset.Id, viewers: [], budget.Token));
            watched.Add(await RunAsync(app, gate, dataset.Id, viewers, budget.Token));
            watched.Add(await RunAsync(app, gate, dataset.Id, viewers, budget.Token));
            alone.Add(await RunAsync(app, gate, dataset.Id, viewers: [], budget.Token));
            var heapAfter = Heap();

            // Training is CPU-bound, so what serving the viewers costs a run is the CPU time it takes from it. That is
            // measured in isolation: the warm-up run's own updates replayed to the 30 viewers, against the CPU time of
            // a run alone (the viewers' client side runs in this process too, so this overstates the cost). The runs
            // side by side are reported as well, but on a shared 2-core machine other people's jobs move a run's
            // wall-clock speed and CPU time by more than 15% from one run to the next.
            var aloneCpu = alone.Average(r => r.CpuSeconds);
            var servingShare = servingCpu / aloneCpu;
            var cpuOverhead = watched.Average(r => r.CpuSeconds) / aloneCpu - 1;
            var wallSlowdown = 1 - watched.Average(r => r.ImagesPerSecond) / alone.Average(r => r.ImagesPerSecond);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"alone: {string.Join(", ", alone.Select(r => $"{r.ImagesPerSecond:0} images/s {r.CpuSeconds:0.0} CPU s"))}; " +
                $"watched by {Viewers}: {string.Join(", ", watched.Select(r => $"{r.ImagesPerSecond:0} images/s {r.CpuSeconds:0.0} CPU s"))}; " +
                $"side by side: CPU {cpuOverhead:+0.0%;-0.0%}, wall-clock slowdown {wallSlowdown:P1}; " +
                $"serving one run's {recorded.Count} updates to {Viewers} viewers: {servingCpu:0.00} CPU s = {servingShare:P1} of a run alone; " +
                $"GC heap {heapBefore / 1e6:0.0} MB before the four runs, {heapAfter / 1e6:0.0} MB after"));
            Assert.True(heapAfter - heapBefore < MaxHeapGrowthBytes, $"GC heap grew from {heapBefore} to {heapAfter} bytes");
            Assert.True(servingShare < MaxSlowdown, $"serving {Viewers} viewers took {servingShare:P1} of a run's CPU time");
            Assert.True(wallSlowdown < MaxSlowdown, $"watched by {Viewers} viewers, runs were {wallSlowdown:P1} slower than alone");
        }
        finally
        {
            await Task.WhenAll(viewers.Select(v => v.Connection.DisposeAsync().AsTask()));
        }
    }

    /// <summary>What one run took: wall-clock speed (mean images/s of its epochs) and the CPU time of this whole process.</summary>
    private sealed record RunCost(double ImagesPerSecond, double CpuSeconds);

    /// <summary>Publishes a run's updates again to viewers joined to it; returns the process's CPU seconds until all had every epoch.</summary>
    private static async Task<double> ReplayAsync(KestrelApp app, Viewer[] viewers, IReadOnlyList<RunUpdate> updates, CancellationToken budget)
    {
        var runId = updates[0].RunId;
        var epochs = updates.OfType<RunEpochUpdate>().Select(e => e.Point.GlobalEpoch).ToList();
        await Task.WhenAll(viewers.Select(v => v.JoinAsync(runId, expectNoHistory: false)));
        var notifier = app.Services.GetRequiredService<TrainingNotifier>();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        foreach (var update in updates) notifier.Publish(update);
        foreach (var viewer in viewers) await viewer.WaitForAsync(runId, epochs, budget);
        return (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
    }

    /// <summary>Trains one run, every viewer in its group before training starts, and measures it.</summary>
    private async Task<RunCost> RunAsync(KestrelApp app, GatedTrainer gate, int datasetId, Viewer[] viewers, CancellationToken budget,
        ConcurrentQueue<RunUpdate>? record = null)
    {
        var ended = new TaskCompletionSource<RunStatusUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = app.Services.GetRequiredService<TrainingNotifier>().Subscribe(null, u =>
        {
            record?.Enqueue(u);
            if (u is RunStatusUpdate { Status: RunStatus.Done or RunStatus.Failed or RunStatus.Cancelled } s) ended.TrySetResult(s);
            return Task.CompletedTask;
        });
        var held = gate.Hold();
        var plan = app.Services.GetRequiredService<RunPlanner>()
            .Queue(Caller.System, new RunRequest(datasetId, DatasetSplit.Train, LoadOptions, MaxImages: 1024, Name: "load"));
        Assert.True(plan.Succeeded, string.Join("; ", plan.Errors));
        var runId = plan.Runs[0].Id;
        await Task.WhenAll(viewers.Select(v => v.JoinAsync(runId, expectNoHistory: true)));
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        held.SetResult();

        var clock = Stopwatch.StartNew();
        var final = await ended.Task.WaitAsync(budget);
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {runId} with {viewers.Length} viewers: {clock.Elapsed.TotalSeconds:0.0} s, {cpu:0.0} CPU s"));
        Assert.True(final.Status == RunStatus.Done, $"run ended {final.Status}: {final.Error}");
        var history = app.Services.GetRequiredService<IMedvisStore>().Runs.Get(runId)!.History;
        output.WriteLine(string.Join("; ", history.Select(h => string.Create(CultureInfo.InvariantCulture, $"epoch {h.GlobalEpoch}: {h.ImagesPerSecond:0} images/s at {h.ElapsedSeconds:0.0} s"))));
        var epochs = history.Select(h => h.GlobalEpoch).ToList();
        Assert.Equal(Enumerable.Range(1, LoadOptions.EpochsPerStage.Sum()), epochs);
        foreach (var viewer in viewers)
            await viewer.WaitForAsync(runId, epochs, budget);
        return new RunCost(history.Average(h => h.ImagesPerSecond), cpu);
    }

    private static async Task<Viewer> ConnectAsync(KestrelApp app, int userId, CancellationToken budget)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "hubs/training"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.Headers[TestAuthHandler.Header] = userId.ToString(CultureInfo.InvariantCulture);
            })
            .Build();
        var viewer = new Viewer(connection);
        connection.On<RunEpochUpdate>(nameof(ITrainingClient.Epoch), viewer.Received);
        await connection.StartAsync(budget);
        return viewer;
    }

    // The server runs in this process: its GC heap after full collections, the viewers' clients included.
    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>One hub connection and the epochs it was sent, per run.</summary>
    private sealed class Viewer(HubConnection connection)
    {
        private readonly ConcurrentDictionary<int, ConcurrentQueue<int>> _epochs = new();

        public HubConnection Connection => connection;

        public void Received(RunEpochUpdate update) => _epochs.GetOrAdd(update.RunId, _ => new()).Enqueue(update.Point.GlobalEpoch);

        public async Task JoinAsync(int runId, bool expectNoHistory)
        {
            var history = await connection.InvokeAsync<RunHistory?>(nameof(TrainingHub.JoinRun), runId);
            Assert.NotNull(history);
            if (expectNoHistory) Assert.Empty(history.Epochs); // joined before training: every epoch must come live
        }

        /// <summary>Waits (briefly: the run has ended) until this viewer has every epoch of the run, in order.</summary>
        public async Task WaitForAsync(int runId, IReadOnlyList<int> epochs, CancellationToken budget)
        {
            var clock = Stopwatch.StartNew();
            while (!(_epochs.TryGetValue(runId, out var seen) && seen.SequenceEqual(epochs)))
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(20))
                    Assert.Fail($"a viewer got epochs [{string.Join(",", _epochs.GetValueOrDefault(runId) ?? new())}] of run {runId}, not [{string.Join(",", epochs)}]");
                await Task.Delay(20, budget);
            }
        }
    }

    /// <summary>The real engine, held before training until the test has its viewers in the run's group.</summary>
    private sealed class GatedTrainer : IMapTrainer
    {
        private readonly TSimCneMapTrainer _engine = new();
        private TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Holds the next run until the returned source is completed.</summary>
        public TaskCompletionSource Hold() => _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TrainingResult Train(ImageDataset data, TrainingOptions options, IProgress<TrainingEvent> progress,
            ICheckpointStore checkpoints, CancellationToken cancellation)
        {
            _open.Task.Wait(TimeSpan.FromMinutes(1), cancellation);
            return _engine.Train(data, options, progress, checkpoints, cancellation);
        }
    }
}

/// <summary>
/// The load test measures this process's CPU time and GC heap, so it runs alone, after the tests that run in
/// parallel (training tests included).
/// </summary>
[CollectionDefinition(nameof(LoadCollection), DisableParallelization = true)]
public sealed class LoadCollection;
