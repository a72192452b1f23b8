using Medvis.Core.Evaluation;
using Medvis.Core.Runs;
using System.Collections.Concurrent;
using Medvis.Core.Augmentation;
using Medvis.Core.Data;
using Medvis.Core.Storage;
using Medvis.Core.Training;
using Medvis.Web.Datasets;
using Medvis.Web.Extensions;
using Medvis.Web.Results;
using Medvis.Web.Training;
using Medvis.Web.Auth;
using Medvis.Web.Tests.Support;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Integration;

/// <summary>The hosted training service end to end with the real engine on 256 real blood-cell images.</summary>
[Collection(TrainingCollection.Name)]
public sealed class TrainingServiceTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private readonly TempFolder _dir = new();
    private string DatabasePath => _dir.File("medvis.db");

    private static TrainingOptions TinyOptions(int[]? epochs = null) => new()
    {
        Augmentation = AugmentationOptions.Rotate,
        Backbone = "small",
        BatchSize = 64,
        EpochsPerStage = epochs ?? [1, 1, 1],
        SnapshotEvery = 1,
        SnapshotSize = 100,
        Device = "cpu",
        Seed = 3,
        // A checkpoint every epoch: the cancel and resume tests stop runs after chosen epochs.
        CheckpointMinSeconds = 0,
    };

    [SkippableFact]
    public async Task ATinyRunStreamsProgressStoresItsMapAndSurvivesARestart()
    {
        var npz = SharedData.File("pbc-bloodcells-28.npz");
        int runId;
        var epochs = new ConcurrentQueue<RunEpochUpdate>();
        var snapshots = new ConcurrentQueue<RunSnapshotUpdate>();
        var done = new TaskCompletionSource<RunStatusUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (var app = new MedvisAppFactory(DatabasePath))
        {
            var dataset = app.Services.GetRequiredService<DatasetService>().Register(Caller.System, npz).Dataset!;
            await using var hub = await app.ConnectHubAsync(UserRole.Viewer);
            hub.On<RunEpochUpdate>(nameof(Hubs.ITrainingClient.Epoch), epochs.Enqueue);
            hub.On<RunSnapshotUpdate>(nameof(Hubs.ITrainingClient.Snapshot), snapshots.Enqueue);
            hub.On<RunStatusUpdate>(nameof(Hubs.ITrainingClient.Status), s =>
            {
                if (s.Status is RunStatus.Done or RunStatus.Failed or RunStatus.Cancelled) done.TrySetResult(s);
            });
            await hub.InvokeAsync(nameof(Hubs.TrainingHub.WatchAllRuns));

            var plan = app.Services.GetRequiredService<RunPlanner>()
                .Queue(Caller.System, new RunRequest(dataset.Id, DatasetSplit.Train, TinyOptions(), MaxImages: 256, Name: "tiny"));
            Assert.True(plan.Succeeded, string.Join("; ", plan.Errors));
            runId = plan.Runs[0].Id;
            var history = await hub.InvokeAsync<RunHistory?>(nameof(Hubs.TrainingHub.JoinRun), runId);
            Assert.NotNull(history);

            var final = await done.Task.WaitAsync(RunTimeout);
            Assert.True(final.Status == RunStatus.Done, $"run ended {final.Status}: {final.Error}");
            Assert.Equal([1, 2, 3], epochs.Select(e => e.Point.GlobalEpoch).Distinct().Order());
            Assert.All(epochs, e => Assert.True(double.IsFinite(e.Point.Loss) && e.Point.ImagesPerSecond > 0));
            Assert.NotEmpty(snapshots);
            Assert.All(snapshots, s => Assert.Equal(100, s.Snapshot.X.Length));

            // A late joiner gets the same curve the live viewer saw.
            await using var late = await app.ConnectHubAsync(UserRole.Viewer);
            var lateHistory = await late.InvokeAsync<RunHistory?>(nameof(Hubs.TrainingHub.JoinRun), runId);
            Assert.Equal(RunStatus.Done, lateHistory!.Status);
            Assert.Equal(epochs.Select(e => e.Point.Loss).Distinct(), lateHistory.Epochs.Select(e => e.Loss));
            Assert.NotNull(lateHistory.LatestSnapshot);
        }

        await using (var restarted = new MedvisAppFactory(DatabasePath))
        {
            var database = restarted.Services.GetRequiredService<Core.Storage.IMedvisStore>();
            var run = database.Runs.Get(runId)!;
            Assert.Equal(RunStatus.Done, run.Status);
            Assert.Equal(3, run.History.Count);
            Assert.True(run.TrainingSeconds > 0);
            var result = database.Artifacts.LoadResult(runId)!;
            Assert.Equal(256, result.Count);
            Assert.All(result.X.Concat(result.Y), v => Assert.True(float.IsFinite(v)));
            Assert.Equal(256, result.DatasetIndices.Distinct().Count());
            var metrics = restarted.Services.GetRequiredService<RunResults>().Metrics(runId)!;
            Assert.InRange(metrics.KnnAccuracy, 0, 1);
            Assert.Equal(8, metrics.ClassNames.Count);
            Assert.NotNull(database.Artifacts.LoadModel(runId));
            Assert.Null(database.CheckpointsFor(runId).LoadLatest());

            using var client = restarted.CreateClientAs(UserRole.Viewer);
            var page = await client.GetStringAsync($"/runs/{runId}");
            Assert.Contains("tiny", page);
            var csv = await client.GetStringAsync($"/api/runs/{runId}/coordinates.csv");
            Assert.Equal(257, csv.Trim().Split('\n').Length);
            Assert.StartsWith(CoordsCsv.Header + "\n", csv);
            var card = RunCard.FromJson(await client.GetStringAsync($"/api/runs/{runId}/run.json"), "run.json");
            Assert.Equal(256, card.Dataset.TrainedImages);
            Assert.Matches("^sha256:[0-9a-f]{64}$", card.Dataset.ContentHash);
            Assert.Equal(metrics.KnnAccuracy, card.KnnAccuracy);
            Assert.Equal(card.ToJson(), restarted.Services.GetRequiredService<RunResults>().Card(runId)!.ToJson());
            var png = await client.GetByteArrayAsync($"/api/runs/{runId}/images/0.png");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);

            // Out-of-sample: training images uploaded as PNG land where the map put them.
            var uploads = new[] { 0, 100, 255 }
                .Select(p => (Point: p, Image: restarted.Services.GetRequiredService<RunResults>().ImageOfPoint(runId, p)!.Value))
                .Select(u => new UploadedFile($"point-{u.Point}.png", ImageEncoding.EncodePng(u.Image.Images, u.Image.Index)))
                .ToList();
            var placed = await restarted.Services.GetRequiredService<OutOfSampleService>().PlaceAsync(Caller.System, runId, uploads);
            Assert.Equal(3, placed.X.Length);
            foreach (var (point, i) in new[] { 0, 100, 255 }.Select((p, i) => (p, i)))
            {
                Assert.Equal(result.X[point], placed.X[i], 0.01f);
                Assert.Equal(result.Y[point], placed.Y[i], 0.01f);
            }
            // Each comes with its file name, its 15 nearest training images on the map (itself first, at distance 0) and their class vote.
            Assert.Equal(["point-0.png", "point-100.png", "point-255.png"], placed.Names);
            foreach (var (point, i) in new[] { 0, 100, 255 }.Select((p, i) => (p, i)))
            {
                Assert.Equal(15, placed.Neighbours[i].Count);
                Assert.True(placed.Neighbours[i][0].Distance < 0.05, $"nearest at {placed.Neighbours[i][0].Distance}");
                var expected = Enumerable.Range(0, result.Count)
                    .OrderBy(q => Math.Pow(result.X[q] - placed.X[i], 2) + Math.Pow(result.Y[q] - placed.Y[i], 2)).Take(15).ToHashSet();
                Assert.True(placed.Neighbours[i].Count(n => expected.Contains(n.Point)) >= 14, "neighbours differ from a brute-force search");
                var votes = placed.Neighbours[i].GroupBy(n => result.Labels[n.Point]).ToDictionary(g => g.Key, g => g.Count());
                Assert.Equal(votes.Values.Max(), votes[placed.Votes[i].Label]);
                Assert.Equal(votes.Values.Max() / 15.0, placed.Votes[i].Confidence, 10);
                Assert.Contains($"point-{point}.png → {result.ClassNames[placed.Votes[i].Label]}", placed.Describe(i));
            }

            // Neighbours in the backbone's feature space: the saved model's features, searched exactly.
            var similarity = restarted.Services.GetRequiredService<RunSimilarity>();
            var found = (await similarity.NeighboursAsync(runId, 7))!;
            Assert.Null(found.FeatureProblem);
            Assert.True(similarity.HasFeatures(runId));
            using (var model = TSimCneModel.FromBytes(database.Artifacts.LoadModel(runId)!, "cpu"))
            {
                var images = restarted.Services.GetRequiredService<DatasetService>().Load(database.Runs.Get(runId)!.DatasetSpec, 28, DatasetSplit.Train).Subset(result.DatasetIndices);
                var features = model.Features(images);
                double Distance(int q) => Enumerable.Range(0, features.GetLength(1)).Sum(d => Math.Pow(features[q, d] - features[7, d], 2));
                var bruteForce = Enumerable.Range(0, result.Count).Where(q => q != 7).OrderBy(Distance).Take(15).ToArray();
                Assert.True(found.InFeatures!.Count(n => bruteForce.Contains(n.Point)) >= 14, "feature neighbours differ from a brute-force search");
            }
            Assert.Equal(found.OnMap.Select(n => n.Point).Intersect(found.InFeatures!.Select(n => n.Point)).Order(), found.Overlap!.Shared);

            // Training images are like the training images; noise and a blank frame are not, and get no class.
            Assert.Null(placed.NoveltyProblem);
            Assert.All(Enumerable.Range(0, 3), i => Assert.False(placed.IsUnlike(i), placed.Likeness![i].Describe()));
            var pixels = new byte[2 * 3 * 28 * 28]; // image 0 uniform noise, image 1 black
            new Random(3).NextBytes(pixels.AsSpan(0, 3 * 28 * 28));
            var strangers = new ImageDataset("strangers", pixels, 2, 3, 28, 28, [0, 0], ["x"]);
            var unlike = await restarted.Services.GetRequiredService<OutOfSampleService>().PlaceAsync(Caller.System, runId,
                [new UploadedFile("noise.png", ImageEncoding.EncodePng(strangers, 0)), new UploadedFile("black.png", ImageEncoding.EncodePng(strangers, 1))]);
            Assert.Equal(2, unlike.UnlikeCount);
            Assert.StartsWith("noise.png → no class: unlike the training images", unlike.Describe(0));

            var broken = await Assert.ThrowsAsync<DatasetFormatException>(() => restarted.Services.GetRequiredService<OutOfSampleService>()
                .PlaceAsync(Caller.System, runId, [new UploadedFile("notes.png", "not an image"u8.ToArray())]));
            Assert.Contains("notes.png", broken.Message);
        }
    }

    /// <summary>Compare objectives on the demo: all three objectives train to a map, their metrics hold the probe and R², and the crop view works.</summary>
    [Fact]
    public async Task EveryObjectiveTrainsFromTheWebAndItsMetricsHoldTheLinearProbeAndPositionalRSquared()
    {
        await using var app = new MedvisAppFactory(DatabasePath);
        var dataset = app.Services.GetRequiredService<DatasetService>().Register(Caller.System, "demo").Dataset!;
        var finished = new ConcurrentDictionary<int, RunStatusUpdate>();
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = app.Services.GetRequiredService<TrainingNotifier>().Subscribe(null, u =>
        {
            if (u is RunStatusUpdate { Status: RunStatus.Done or RunStatus.Failed or RunStatus.Cancelled } s && finished.TryAdd(s.RunId, s) && finished.Count == 3)
                allDone.TrySetResult();
            return Task.CompletedTask;
        });
        var options = TrainingOptions.CpuOrientation with { Backbone = "tiny", BatchSize = 32, EpochsPerStage = [1, 1, 0], SnapshotEvery = 0, Device = "cpu" };

        var plan = app.Services.GetRequiredService<RunPlanner>().QueueObjectiveComparison(Caller.System,
            new RunRequest(dataset.Id, DatasetSplit.Train, options, MaxImages: 64, Name: "objectives"));

        Assert.True(plan.Succeeded, string.Join("; ", plan.Errors));
        // Three runs one after another: twice the single-run allowance for a busy 2-core machine.
        var ended = await Task.WhenAny(allDone.Task, Task.Delay(2 * RunTimeout)) == allDone.Task;
        var database = app.Services.GetRequiredService<Core.Storage.IMedvisStore>();
        Assert.True(ended, string.Join("; ", plan.Runs.Select(r => database.Runs.Get(r.Id)!).Select(r => $"run {r.Id}: {r.Status}, {r.History.Count} epochs, {r.Error}")));
        Assert.All(finished.Values, f => Assert.True(f.Status == RunStatus.Done, $"run {f.RunId} ended {f.Status}: {f.Error}"));
        var results = app.Services.GetRequiredService<RunResults>();
        foreach (var run in plan.Runs)
        {
            var metrics = results.Metrics(run.Id)!;
            Assert.Equal((10, 64), (metrics.LinearProbe!.Folds, metrics.LinearProbe.Images));
            Assert.InRange(metrics.LinearProbe.MeanAuc!.Value, 0, 1);
            Assert.NotNull(metrics.Positional?.RSquared);
        }
        Assert.Equal(["tsimcne", "isimed", "tsimcne+isimed"], plan.Runs.Select(r => TrainingOptionsJson.Deserialize(r.OptionsJson).Objective));
        var view = await app.Services.GetRequiredService<RunCropPositions>().ViewAsync(Caller.System, plan.Runs[1].Id);
        Assert.Equal(64 * 25, view.Points.Count);
    }

    [SkippableFact]
    public async Task ARunInterruptedByShutdownResumesFromItsCheckpointAfterRestart()
    {
        var npz = SharedData.File("pbc-bloodcells-28.npz");
        int runId;
        await using (var app = new MedvisAppFactory(DatabasePath))
        {
            var dataset = app.Services.GetRequiredService<DatasetService>().Register(Caller.System, npz).Dataset!;
            var firstEpoch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var _ = app.Services.GetRequiredService<TrainingNotifier>().Subscribe(null, u =>
            {
                if (u is RunEpochUpdate) firstEpoch.TrySetResult();
                return Task.CompletedTask;
            });
            runId = app.Services.GetRequiredService<RunPlanner>()
                .Queue(Caller.System, new RunRequest(dataset.Id, DatasetSplit.Train, TinyOptions([2, 1, 1]), MaxImages: 128)).Runs[0].Id;
            await firstEpoch.Task.WaitAsync(RunTimeout);
        } // disposing the host stops the worker mid-run

        var database = new Func<MedvisAppFactory, Core.Storage.IMedvisStore>(f => f.Services.GetRequiredService<Core.Storage.IMedvisStore>());
        await using (var restarted = new MedvisAppFactory(DatabasePath))
        {
            var db = database(restarted);
            await Poll.HoldsWithinAsync(() => db.Runs.Get(runId)!.Status is not (RunStatus.Queued or RunStatus.Running), RunTimeout);
            var run = db.Runs.Get(runId)!;
            Assert.True(run.Status == RunStatus.Done, $"run ended {run.Status}: {run.Error}");
            Assert.Equal(Enumerable.Range(1, 4), run.History.Select(h => h.GlobalEpoch));
            Assert.Contains(run.Messages, m => m.Contains("esum", StringComparison.OrdinalIgnoreCase));
            Assert.Equal(128, db.Artifacts.LoadResult(runId)!.Count);
        }
    }

    [SkippableFact]
    public async Task ARunWhoseDatasetVanishedFailsWithTheReason()
    {
        var npz = SharedData.File("breastmnist.npz");
        var copy = _dir.File("vanishing.npz");
        File.Copy(npz, copy);
        await using var app = new MedvisAppFactory(DatabasePath);
        var dataset = app.Services.GetRequiredService<DatasetService>().Register(Caller.System, copy).Dataset!;
        File.Delete(copy);
        var ended = new TaskCompletionSource<RunStatusUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = app.Services.GetRequiredService<TrainingNotifier>().Subscribe(null, u =>
        {
            if (u is RunStatusUpdate { Status: RunStatus.Failed or RunStatus.Done } s) ended.TrySetResult(s);
            return Task.CompletedTask;
        });

        var runId = app.Services.GetRequiredService<RunPlanner>()
            .Queue(Caller.System, new RunRequest(dataset.Id, DatasetSplit.Train, TinyOptions(), MaxImages: 64)).Runs[0].Id;

        var status = await ended.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(RunStatus.Failed, status.Status);
        Assert.Contains("vanishing.npz", status.Error);
        Assert.Equal(RunStatus.Failed, app.Services.GetRequiredService<Core.Storage.IMedvisStore>().Runs.Get(runId)!.Status);
    }

    [Fact]
    public async Task ACancelledRunKeepsItsCheckpointAndResumesFromIt()
    {
        await using var app = new MedvisAppFactory(DatabasePath);
        var dataset = app.Services.GetRequiredService<DatasetService>().Register(Caller.System, "demo").Dataset!;
        var planner = app.Services.GetRequiredService<RunPlanner>();
        var database = app.Services.GetRequiredService<Core.Storage.IMedvisStore>();
        var member = app.CallerOf(UserRole.Member);
        var run = planner.Queue(member, new RunRequest(dataset.Id, DatasetSplit.Train, TinyOptions([50, 1, 1]) with { Backbone = "tiny", BatchSize = 32 }, MaxImages: 96)).Runs[0];
        Assert.Contains("only a cancelled run can be resumed", planner.Resume(member, run.Id));
        await Poll.HoldsWithinAsync(() => (database.CheckpointsFor(run.Id).LoadLatest()?.GlobalEpoch ?? 0) >= 2, TimeSpan.FromMinutes(3));
        Assert.True(planner.Cancel(member, run.Id));
        await WaitForStatusAsync(app, run.Id, RunStatus.Cancelled);

        var kept = database.CheckpointsFor(run.Id).LoadLatest();
        Assert.NotNull(kept);
        Assert.True(kept.GlobalEpoch >= 2, $"checkpoint after epoch {kept.GlobalEpoch}");
        // Start-up and compaction clean-ups leave it alone.
        app.Services.GetRequiredService<DatabaseMaintenance>().RemoveCheckpointsOfEndedRuns();
        Assert.NotNull(database.CheckpointsFor(run.Id).LoadLatest());
        Assert.Throws<AccessDeniedException>(() => planner.Resume(app.CallerOf(UserRole.Viewer), run.Id));
        Assert.Throws<AccessDeniedException>(() => planner.Resume(app.CallerOf(UserRole.Member, "someone-else"), run.Id));

        Assert.Null(planner.Resume(member, run.Id));
        await WaitForStatusAsync(app, run.Id, RunStatus.Running);
        await Poll.HoldsWithinAsync(() => (database.CheckpointsFor(run.Id).LoadLatest()?.GlobalEpoch ?? 0) > kept.GlobalEpoch, TimeSpan.FromMinutes(3));
        var resumed = database.Runs.Get(run.Id)!;
        Assert.Contains(resumed.Messages, m => m.Contains($"continues after epoch {kept.GlobalEpoch}", StringComparison.Ordinal));
        // Training went on from the checkpoint: no epoch before it was trained a second time.
        var epochs = resumed.History.Select(e => e.GlobalEpoch).ToList();
        Assert.Equal(epochs.Distinct().Count(), epochs.Count);
        Assert.Contains(database.Audit.Latest(10), a => a.Action == "resumed run" && a.UserName == member.Name);

        Assert.True(planner.Cancel(member, run.Id));
        await WaitForStatusAsync(app, run.Id, RunStatus.Cancelled);
        Assert.Null(planner.Delete(member, run.Id));
        Assert.Null(database.CheckpointsFor(run.Id).LoadLatest());
    }

    [SkippableFact]
    public async Task CancellingAQueuedRunKeepsItFromTraining()
    {
        var npz = SharedData.File("breastmnist.npz");
        await using var app = new MedvisAppFactory(DatabasePath);
        var dataset = app.Services.GetRequiredService<DatasetService>().Register(Caller.System, npz).Dataset!;
        var planner = app.Services.GetRequiredService<RunPlanner>();
        var first = planner.Queue(Caller.System, new RunRequest(dataset.Id, DatasetSplit.Train, TinyOptions([50, 1, 1]), MaxImages: 128)).Runs[0];
        var second = planner.Queue(Caller.System, new RunRequest(dataset.Id, DatasetSplit.Train, TinyOptions(), MaxImages: 128)).Runs[0];

        Assert.True(planner.Cancel(Caller.System, second.Id));
        await WaitForStatusAsync(app, first.Id, RunStatus.Running);
        Assert.Contains("cancel it before deleting it", planner.Delete(Caller.System, first.Id));
        Assert.True(planner.Cancel(Caller.System, first.Id));
        await WaitForStatusAsync(app, first.Id, RunStatus.Cancelled);

        var database = app.Services.GetRequiredService<Core.Storage.IMedvisStore>();
        Assert.Equal(RunStatus.Cancelled, database.Runs.Get(second.Id)!.Status);
        Assert.Empty(database.Runs.Get(second.Id)!.History);
        Assert.False(planner.Cancel(Caller.System, first.Id));

        Assert.Null(planner.Delete(Caller.System, first.Id));
        Assert.Null(database.Runs.Get(first.Id));
        Assert.Null(database.CheckpointsFor(first.Id).LoadLatest());
        Assert.NotNull(database.Runs.Get(second.Id));
        Assert.Contains("does not exist", planner.Delete(Caller.System, first.Id));
    }

    [Fact]
    public async Task InvalidRequestsAreRejectedWithEveryReasonAndNothingIsQueued()
    {
        await using var app = new MedvisAppFactory(DatabasePath);
        var planner = app.Services.GetRequiredService<RunPlanner>();

        var result = planner.Queue(Caller.System, new RunRequest(42, DatasetSplit.Train, TinyOptions() with { BatchSize = 2, EpochsPerStage = [0, 0, 0] }));

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Field == nameof(TrainingOptions.BatchSize) && e.Message.Contains("batch size 2"));
        Assert.Contains(result.Errors, e => e.Field == nameof(TrainingOptions.EpochsPerStage) && e.Message.Contains("at least one stage"));
        Assert.Contains(result.Errors, e => e.Field == RunPlanner.DatasetField && e.Message.Contains("registered dataset"));
        Assert.Empty(app.Services.GetRequiredService<Core.Storage.IMedvisStore>().Runs.All());
    }

    private static async Task WaitForStatusAsync(MedvisAppFactory app, int runId, RunStatus status)
    {
        var database = app.Services.GetRequiredService<Core.Storage.IMedvisStore>();
        await Poll.UntilAsync(() => database.Runs.Get(runId)!.Status == status, RunTimeout, $"run {runId} to become {status}");
    }



    public void Dispose() => _dir.Dispose();
}
