using Medvis.Core.Runs;
using Medvis.Core.Training;
using Bunit;
using Medvis.Core.Storage;
using Medvis.Web.Components.Pages;
using Medvis.Web.Datasets;
using Medvis.Web.Extensions;
using Medvis.Web.Results;
using Medvis.Web.Training;
using Medvis.Web.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Components;

/// <summary>The new-run page with the real planner and a real database (no worker, so queued runs stay queued).</summary>
public sealed class NewRunTests : DatabasePageTestContext
{
    public NewRunTests()
    {
        AddDatasetServices();
        AddRunPlanning();
        Services.AddSingleton(new RunPresetCatalog());
        RenderPopoverProvider();
    }

    [Fact]
    public void InvalidSettingsShowEveryReasonAndQueueNothing()
    {
        var cut = Render<NewRun>();
        cut.Instance.Form.BatchSize = 1;
        cut.Instance.Form.EpochsStage1 = 0;
        cut.Instance.Form.EpochsStage2 = 0;
        cut.Instance.Form.EpochsStage3 = 0;

        cut.Find("button[data-testid=queue-run]").Click();

        cut.WaitForAssertion(() =>
        {
            var errors = cut.Find("[data-testid=run-errors]").TextContent;
            Assert.Contains("batch size 1 must be between 4 and 65536", errors);
            Assert.Contains("at least one stage must have epochs", errors);
            Assert.Contains("pick a registered dataset", errors);
            var besideFields = cut.FindAll(".mud-input-error").Select(e => e.TextContent).ToList();
            Assert.Contains(besideFields, t => t.Contains("batch size 1 must be between 4 and 65536"));
            Assert.Contains(besideFields, t => t.Contains("at least one stage must have epochs"));
            Assert.Contains(besideFields, t => t.Contains("pick a registered dataset"));
        }, Patience);
        Assert.Empty(Database.Runs.All());
    }

    [SkippableFact]
    public void CompareAugmentationsQueuesTheThreeSetsAndOpensTheRunList()
    {
        var dataset = Services.GetRequiredService<DatasetService>().Register(Caller, SharedData.File("breastmnist.npz")).Dataset!;
        var cut = Render<NewRun>();
        Assert.Equal(dataset.Id, cut.Instance.Form.DatasetId);

        cut.Find("button[data-testid=preset-cpu-quick]").Click();
        cut.Find("button[data-testid=queue-compare]").Click();

        cut.WaitForAssertion(() => Assert.Equal(3, Database.Runs.All().Count), Patience);
        var runs = Database.Runs.All().OrderBy(r => r.Id).ToList();
        Assert.Equal(["natural", "rot90", "rotate"], runs.Select(r => TrainingOptionsJson.Deserialize(r.OptionsJson).Augmentation.Describe()));
        Assert.All(runs, r => Assert.Equal(RunStatus.Queued, r.Status));
        Assert.EndsWith("/runs", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void CompareObjectivesQueuesOneRunPerObjectiveWithTheRestOfThePresetFixed()
    {
        Services.GetRequiredService<DatasetService>().Register(Caller, DatasetService.DemoSpec);
        var cut = Render<NewRun>();

        cut.Find("button[data-testid=preset-cpu-orientation]").Click();
        cut.Instance.Form.Objective = "tsimcne+isimed:0.5";
        cut.Find("button[data-testid=queue-compare-objectives]").Click();

        cut.WaitForAssertion(() => Assert.Equal(3, Database.Runs.All().Count), Patience);
        var options = Database.Runs.All().OrderBy(r => r.Id).Select(r => TrainingOptionsJson.Deserialize(r.OptionsJson)).ToList();
        Assert.Equal(["tsimcne", "isimed", "tsimcne+isimed:0.5"], options.Select(o => o.Objective));
        Assert.All(options, o => Assert.Equal(("natural", "tiny", 20, 10), (o.Augmentation.ToSpec(), o.Backbone, o.EpochsPerStage[0], o.EpochsPerStage[2])));
        Assert.All(Database.Runs.All(), r => Assert.EndsWith(TrainingOptionsJson.Deserialize(r.OptionsJson).Objective, r.Name));
        Assert.EndsWith("/runs", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void TheOrientationPresetSetsNaturalViewsAndTheCombinedObjective()
    {
        var cut = Render<NewRun>();
        cut.Find("button[data-testid=preset-cpu-orientation]").Click();
        Assert.Equal(("natural", "tsimcne+isimed"), (cut.Instance.Form.AugmentationSet, cut.Instance.Form.Objective));
        Assert.Equal(RunPresetCatalog.Names, new RunPresetCatalog().All.Select(p => p.Name));
        cut.Instance.Form.IsimedCrops = 8;
        cut.Instance.Form.IsimedCropFraction = 0.25;
        Assert.Equal((8, 0.25), (cut.Instance.Form.ToOptions().Isimed.CropsPerImage, cut.Instance.Form.ToOptions().Isimed.CropFraction));
        cut.Instance.Form.Objective = TrainingObjective.TSimCne;
        Assert.False(cut.Instance.Form.UsesIsimed);
    }

    [SkippableFact]
    public void CompareAugmentationsKeepsThePresetsOtherItems()
    {
        Services.GetRequiredService<DatasetService>().Register(Caller, SharedData.File("breastmnist.npz"));
        var cut = Render<NewRun>();

        cut.Find("button[data-testid=preset-cpu-budget]").Click();
        cut.Find("button[data-testid=queue-compare]").Click();

        cut.WaitForAssertion(() => Assert.Equal(3, Database.Runs.All().Count), Patience);
        var runs = Database.Runs.All().OrderBy(r => r.Id).ToList();
        Assert.Equal(["natural,-grayscale", "rot90,-grayscale", "rotate,-grayscale"],
            runs.Select(r => TrainingOptionsJson.Deserialize(r.OptionsJson).Augmentation.ToSpec()));
        Assert.All(runs, r => Assert.EndsWith(TrainingOptionsJson.Deserialize(r.OptionsJson).Augmentation.ToSpec(), r.Name));
    }

    [SkippableFact]
    public void ABatchLargerThanTheSubsetIsRejected()
    {
        Services.GetRequiredService<DatasetService>().Register(Caller, SharedData.File("breastmnist.npz"));
        var cut = Render<NewRun>();
        cut.Instance.Form.MaxImages = 100;
        cut.Instance.Form.BatchSize = 256;

        cut.Find("button[data-testid=queue-run]").Click();

        cut.WaitForAssertion(() => Assert.Contains("batch size 256 is larger than the 100 training images", cut.Find("[data-testid=run-errors]").TextContent), Patience);
        Assert.Empty(Database.Runs.All());
    }
}
