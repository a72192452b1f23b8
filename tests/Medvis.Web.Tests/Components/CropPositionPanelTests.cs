using Bunit;
using Medvis.Core.Data;
using Medvis.Core.Storage;
using Medvis.Core.Training;
using Medvis.Web.Components.Shared;
using Medvis.Web.Datasets;
using Medvis.Web.Results;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Components;

public sealed class CropPositionPanelTests : DatabasePageTestContext
{
    public CropPositionPanelTests()
    {
        AddDatasetServices();
        Services.AddSingleton<RunResults>();
        Services.AddSingleton<RunCropPositions>();
    }

    /// <summary>A finished run of 64 demo images with a model trained for a few seconds (ISImed stage 1, a 2-D stage 2).</summary>
    private int StoreTrainedRun()
    {
        var split = Services.GetRequiredService<DatasetService>().Load("demo", 28, DatasetSplit.Train);
        var rows = SeededSubset.Choose(split.Count, 64, 0);
        var images = split.Subset(rows);
        var options = new TrainingOptions
        {
            Backbone = "tiny", BatchSize = 32, EpochsPerStage = [2, 1, 0], HiddenDim = 64, PretrainDim = 16, Device = "cpu",
            Objective = TrainingObjective.Isimed, SnapshotEvery = 0,
        };
        var result = new TSimCneTrainer(options).Train(images);
        using var model = result.Model;
        var run = Database.Runs.Add(new RunRecord { Name = "crops", Status = RunStatus.Done, DatasetSpec = "demo", DatasetName = "demo", ImageSize = 28, Split = DatasetSplit.Train });
        Database.Artifacts.SaveResult(new RunResult(run.Id, Enumerable.Range(0, 64).Select(i => result.Coordinates[i, 0]).ToArray(),
            Enumerable.Range(0, 64).Select(i => result.Coordinates[i, 1]).ToArray(), images.Labels, images.SourceIndices.ToArray(), images.ClassNames));
        Database.Artifacts.SaveModel(run.Id, model.ToBytes());
        return run.Id;
    }

    [Fact]
    public async Task TheCropTabPlacesGridCropsWithTheRunsModelAndShowsThePositionalRSquared()
    {
        var runId = StoreTrainedRun();
        var cut = Render<CropPositionPanel>(p => p.Add(c => c.RunId, runId).Add(c => c.Caller, Caller).Add(c => c.ClassNames, ["a", "b", "c", "d", "e", "f", "g", "h"]));

        cut.Find("button[data-testid=crop-compute]").Click();

        cut.WaitForAssertion(() => Assert.Contains("R² of position from the backbone features", cut.Find("[data-testid=crop-r2]").TextContent), TimeSpan.FromSeconds(120));
        Assert.Contains("1600 crops of 0.5 of the side from 64 images", cut.Find("[data-testid=crop-r2]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=crop-map-x]"));
        Assert.NotNull(cut.Find("[data-testid=crop-map-y]"));
        var view = await Services.GetRequiredService<RunCropPositions>().ViewAsync(Caller, runId);
        Assert.Equal(64 * 25, view.Points.Count);
        Assert.InRange(view.Points.Min(p => p.CropX), 0.24f, 0.26f);
        Assert.InRange(view.Points.Max(p => p.CropY), 0.74f, 0.76f);
    }

    [Fact]
    public void ARunWithoutAModelSaysSoInsteadOfFailing()
    {
        var run = Database.Runs.Add(new RunRecord { Name = "no model", Status = RunStatus.Done, DatasetSpec = "demo", DatasetName = "demo", ImageSize = 28 });
        Database.Artifacts.SaveResult(new RunResult(run.Id, [0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 0, 1], [0, 1, 2, 3], ["a", "b"]));
        var cut = Render<CropPositionPanel>(p => p.Add(c => c.RunId, run.Id).Add(c => c.Caller, Caller).Add(c => c.ClassNames, ["a", "b"]));

        cut.Find("button[data-testid=crop-compute]").Click();

        cut.WaitForAssertion(() => Assert.Contains($"Run {run.Id} has no saved model", cut.Find("[data-testid=crop-error]").TextContent), Patience);
    }
}
