using Medvis.Core.Augmentation;
using Medvis.Core.Data;
using Medvis.Core.Evaluation;
using Medvis.Core.Runs;
using Medvis.Core.Storage;
using Medvis.Core.Training;
using Medvis.Web.Auth;
using Medvis.Web.Datasets;
using Medvis.Web.Tests.Support;
using Medvis.Web.Training;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Integration;

/// <summary>A run with a time budget through the web app's queue: planned, trained, and stored beside its pixel baseline.</summary>
[Collection(TrainingCollection.Name)]
public sealed class TimedRunTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ATimedRunStoresItsPlanOnTheCardAndItsPixelBaselineAsAMapToCompareWith()
    {
        await using var app = new MedvisAppFactory(_dir.File("medvis.db"));
        var dataset = app.Services.GetRequiredService<DatasetService>().Register(Caller.System, "demo").Dataset!;
        var done = new TaskCompletionSource<RunStatusUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = await app.ConnectHubAsync(UserRole.Viewer);
        hub.On<RunStatusUpdate>(nameof(Hubs.ITrainingClient.Status), s =>
        {
            if (s.Status is RunStatus.Done or RunStatus.Failed or RunStatus.Cancelled) done.TrySetResult(s);
        });
        await hub.InvokeAsync(nameof(Hubs.TrainingHub.WatchAllRuns));

        var options = new TrainingOptions
        {
            Backbone = "tiny", BatchSize = 32, BudgetMinutes = 0.1, Device = "cpu", SnapshotSize = 50,
            Augmentation = AugmentationOptions.Rotate,
        };
        var plan = app.Services.GetRequiredService<RunPlanner>()
            .Queue(Caller.System, new RunRequest(dataset.Id, DatasetSplit.Train, options, MaxImages: 120, Name: "six seconds"));
        Assert.True(plan.Succeeded, string.Join("; ", plan.Errors));
        var runId = plan.Runs[0].Id;
        var final = await done.Task.WaitAsync(TimeSpan.FromMinutes(4));
        Assert.True(final.Status == RunStatus.Done, $"run ended {final.Status}: {final.Error}");

        var database = app.Services.GetRequiredService<IMedvisStore>();
        var card = RunCard.FromJson(database.Artifacts.LoadCardJson(runId)!, "card");
        Assert.Equal(0.1, card.BudgetMinutes);
        var planned = Assert.IsType<Core.Training.Planning.SchedulePlan>(card.Plan);
        Assert.Equal(planned.EpochsPerStage, card.Options.EpochsPerStage);
        Assert.Null(card.Options.BudgetMinutes);
        Assert.Contains(database.Runs.Get(runId)!.Messages, m => m.StartsWith("Plan for a 0.1-minute budget: tiny", StringComparison.Ordinal));

        var metrics = MetricsReport.FromJson(database.Artifacts.LoadMetricsJson(runId)!);
        var baseline = Assert.IsType<BaselineComparison>(metrics.Baseline);
        var baselineRun = database.Runs.Get(baseline.RunId!.Value)!;
        Assert.Equal((RunKind.Imported, RunStatus.Done, dataset.Id, "Pixel t-SNE of six seconds"),
            (baselineRun.Kind, baselineRun.Status, baselineRun.DatasetId, baselineRun.Name));
        var baselineMap = database.Artifacts.LoadResult(baselineRun.Id)!;
        Assert.Equal(database.Artifacts.LoadResult(runId)!.DatasetIndices, baselineMap.DatasetIndices);
        Assert.Equal("t-SNE (pixels)", MetricsReport.FromJson(database.Artifacts.LoadMetricsJson(baselineRun.Id)!).Method);

        // The browser side (the metrics tab and the Compare link) is TimedRunBrowserTests.
    }
}
