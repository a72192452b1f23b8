using Medvis.Core.Training;

namespace Medvis.Core.Tests.Training;

public class TrainingObjectiveTests
{
    [Theory]
    [InlineData("tsimcne", true, 0, "tsimcne")]
    [InlineData(" ISImed ", false, 1, "isimed")]
    [InlineData("tsimcne+isimed", true, 1, "tsimcne+isimed")]
    [InlineData("tsimcne+isimed:1", true, 1, "tsimcne+isimed")]
    [InlineData("tsimcne+isimed:0.25", true, 0.25, "tsimcne+isimed:0.25")]
    public void SpecsParseAndWriteBackCanonically(string spec, bool contrastive, double weight, string canonical)
    {
        var objective = TrainingObjective.Parse(spec);
        Assert.Equal(contrastive, objective.Contrastive);
        Assert.Equal(weight, objective.IsimedWeight);
        Assert.Equal(canonical, objective.ToSpec());
    }

    [Theory]
    [InlineData("simclr", "objective 'simclr' must be")]
    [InlineData("tsimcne+isimed:0", "objective weight '0'")]
    [InlineData("tsimcne+isimed:x", "objective weight 'x'")]
    [InlineData("", "objective '' must be")]
    public void BadSpecsAreProblemsOfTheObjectiveField(string spec, string message)
    {
        var problems = (new TrainingOptions() with { Objective = spec }).Problems();
        var problem = Assert.Single(problems);
        Assert.Equal(nameof(TrainingOptions.Objective), problem.Field);
        Assert.Contains(message, problem.Message);
    }

    [Fact]
    public void BadIsimedSettingsAreProblemsOfTheIsimedField()
    {
        var options = new TrainingOptions() with
        {
            Objective = TrainingObjective.Isimed,
            Isimed = new IsimedOptions { CropsPerImage = 1, CropFraction = 1.0 },
        };
        var problems = options.Problems();
        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Equal(nameof(TrainingOptions.Isimed), p.Field));
        Assert.Contains(problems, p => p.Message.Contains("crops per image 1"));
        Assert.Contains(problems, p => p.Message.Contains("crop size 1"));
    }

    [Fact]
    public void TheDefaultsFitTwentyEightPixelImages()
    {
        var defaults = new IsimedOptions();
        Assert.Equal(4, defaults.CropsPerImage);
        Assert.Equal(14, defaults.CropFraction * 28);
        Assert.Equal(IsimedDistanceUnit.ImageSide, defaults.DistanceUnit);
        Assert.Equal(IsimedPenalty.Squared, defaults.Penalty);
        Assert.Empty(new TrainingOptions().Problems());
    }

    [Fact]
    public void CheckpointSettingsOfTSimCneRunsAreAsBeforeTheObjectiveExisted()
    {
        var data = TrainingTestData.TwoClasses(8);
        var settings = CheckpointSettings.Describe(new TrainingOptions(), data);
        Assert.DoesNotContain("Objective", settings);
        Assert.DoesNotContain("Isimed", settings);
        var combined = CheckpointSettings.Describe(new TrainingOptions { Objective = "TSimCNE+ISImed:1" }, data);
        var recorded = System.Text.Json.Nodes.JsonNode.Parse(combined)!.AsObject();
        Assert.Equal("tsimcne+isimed", recorded["Objective"]!.GetValue<string>());
        Assert.Contains("CropsPerImage", combined);
    }

    [Fact]
    public void ResumingWithAnotherObjectiveIsRefused()
    {
        var data = TrainingTestData.TwoClasses(32, seed: 5);
        var options = TrainingTestData.TinyOptions([2, 1, 0]) with { Objective = "tsimcne+isimed:0.5" };
        var store = new InMemoryCheckpointStore();
        using var cancel = new CancellationTokenSource();
        var cancelAfterFirst = new SynchronousProgress<TrainingEvent>(e => { if (e is CheckpointSaved) cancel.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => new TSimCneTrainer(options).Train(data, cancelAfterFirst, store, cancel.Token));

        var other = Assert.Throws<InvalidDataException>(() =>
            new TSimCneTrainer(options with { Objective = TrainingObjective.TSimCne }).Train(data, checkpoints: store));
        Assert.Contains("Objective \"tsimcne+isimed:0.5\" → none", other.Message);
        var otherCrops = Assert.Throws<InvalidDataException>(() =>
            new TSimCneTrainer(options with { Isimed = new IsimedOptions { CropsPerImage = 3 } }).Train(data, checkpoints: store));
        Assert.Contains("Isimed", otherCrops.Message);

        using var resumed = new TSimCneTrainer(options).Train(data, checkpoints: store).Model;
        Assert.Equal(2, resumed.OutputDim);
    }
}
