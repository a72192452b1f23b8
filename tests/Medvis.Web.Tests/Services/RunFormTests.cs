using Medvis.Core.Runs;
using Medvis.Core.Augmentation;
using Medvis.Core.Data;
using Medvis.Core.Training;
using Medvis.Web.Datasets;
using Medvis.Web.Extensions;
using Medvis.Web.Results;
using Medvis.Web.Training;
using Microsoft.Extensions.Options;

namespace Medvis.Web.Tests.Services;

public sealed class RunFormTests
{
    [Theory]
    [InlineData("natural", false, false)]
    [InlineData("rot90", true, false)]
    [InlineData("rotate", true, true)]
    public void PickingANamedSetSetsItsToggles(string set, bool rot90, bool rotation)
    {
        var form = new RunForm { AugmentationSet = set };

        Assert.Equal(rot90, form.Rot90AndVerticalFlip);
        Assert.Equal(rotation, form.ArbitraryRotation);
        Assert.True(form.Crop && form.HorizontalFlip && form.ColorJitter && form.Grayscale);
        Assert.Equal(set, form.AugmentationSet);
    }

    [Fact]
    public void TheObjectiveReachesTheOptionsAndAnotherWeightJoinsTheChoices()
    {
        var form = new RunForm();
        Assert.Equal(TrainingObjective.Names, form.Objectives);
        form.Objective = TrainingObjective.Isimed;
        Assert.Equal("isimed", form.ToOptions().Objective);

        form.Apply(new TrainingOptions { Objective = "tsimcne+isimed:0.5" }, maxImages: null);
        Assert.Equal(["tsimcne", "isimed", "tsimcne+isimed", "tsimcne+isimed:0.5"], form.Objectives);
        Assert.Equal("tsimcne+isimed:0.5", form.ToOptions().Objective);

        form.Objective = "tsimcne+isimed:-1";
        Assert.Contains(form.ToOptions().Problems(), p => p.Field == nameof(TrainingOptions.Objective));
    }

    [Fact]
    public void ChangingAToggleMakesTheSetCustomAndReachesTheOptions()
    {
        var form = new RunForm { AugmentationSet = "rotate" };
        form.ColorJitter = false;
        form.MaxRotationDegrees = 30;

        Assert.Equal(RunForm.Custom, form.AugmentationSet);
        var options = form.ToOptions();
        Assert.False(options.Augmentation.ColorJitter);
        Assert.Equal(30, options.Augmentation.MaxRotationDegrees);

        form.AugmentationSet = "natural";
        Assert.Equal("natural", form.AugmentationSet);
        Assert.True(form.ColorJitter);
    }

    [Fact]
    public void PresetsFillEveryTrainingFieldAndKeepTheDataset()
    {
        var presets = new RunPresetCatalog(new PresetSettings { BatchSize = 128, EpochsPerStage = [3, 2, 1], MaxImages = 500, Backbone = "small" }.ToOverrides());
        var form = new RunForm { DatasetId = 7, Split = DatasetSplit.Val };

        form.Apply(presets.Get(RunPresetCatalog.Paper));
        var paper = form.ToRequest();
        Assert.Equal([1000, 50, 450], paper.Options.EpochsPerStage);
        Assert.Equal("resnet18", paper.Options.Backbone);
        Assert.Equal(1024, paper.Options.BatchSize);
        Assert.Null(paper.MaxImages);

        form.Apply(presets.Get(RunPresetCatalog.CpuQuick));
        var quick = form.ToRequest();
        Assert.Equal([3, 2, 1], quick.Options.EpochsPerStage);
        Assert.Equal(128, quick.Options.BatchSize);
        Assert.Equal(500, quick.MaxImages);
        Assert.Equal("cpu", quick.Options.Device);
        Assert.Equal(7, quick.DatasetId);
        Assert.Equal(DatasetSplit.Val, quick.Split);
        Assert.Equal(AugmentationOptions.Rotate, quick.Options.Augmentation);

        form.Apply(presets.Get(RunPresetCatalog.CpuBudget));
        var budget = form.ToRequest();
        Assert.Equal(TrainingOptions.CpuBudget.EpochsPerStage, budget.Options.EpochsPerStage);
        Assert.Equal("small", budget.Options.Backbone);
        Assert.Equal(TrainingOptions.CpuBudget.FineTuneLearningRate, budget.Options.FineTuneLearningRate);
        Assert.Equal(AugmentationOptions.Rotate with { Grayscale = false }, budget.Options.Augmentation);
        Assert.False(form.Grayscale);
        Assert.Equal("cpu", budget.Options.Device);
        Assert.Null(budget.MaxImages);
    }

    [Fact]
    public void TheLearningRateHintFollowsTheBatchSizeAndSaysWhatClearingTheFieldDoes()
    {
        var form = new RunForm { BatchSize = 512, LearningRate = null };
        Assert.Equal("Empty: the reference rule 0.03·batch/256 = 0.06 for batch 512", form.LearningRateHint);
        form.LearningRate = 0.1;
        form.BatchSize = 128;
        Assert.Equal("Clear it for the reference rule 0.03·batch/256 = 0.015 for batch 128", form.LearningRateHint);
    }

    [Fact]
    public void AnExplicitStageThreeRateSurvivesTheFormAndAnEmptyOneMeansAutomatic()
    {
        var form = new RunForm { DatasetId = 1, FineTuneLearningRate = 0.004 };
        Assert.Equal(0.004, form.ToOptions().EffectiveFineTuneLearningRate);

        form.FineTuneLearningRate = null;
        var automatic = form.ToOptions();
        Assert.Null(automatic.FineTuneLearningRate);
        // The form's defaults: lr 0.03·256/256 and 15 stage-3 epochs, so 0.03 · (0.45 / 15).
        Assert.Equal(0.0009, automatic.EffectiveFineTuneLearningRate, 12);
    }

    [Fact]
    public void ThePrecisionGoesFromTheFormToTheOptionsAndBack()
    {
        var form = new RunForm { DatasetId = 1, Precision = "bf16" };
        Assert.Equal("bf16", form.ToOptions().Precision);

        form.Apply(new TrainingOptions { Precision = "auto" }, maxImages: null);
        Assert.Equal("auto", form.Precision);
        Assert.Equal(["fp32", "bf16", "auto"], RunForm.Precisions);
    }

    [Fact]
    public void AnUnknownPresetIsRejected() =>
        Assert.Throws<ArgumentException>(() => new RunPresetCatalog().Get("turbo"));
}
