using Medvis.Core.Training;

namespace Medvis.Core.Tests.Training;

public class MixedPrecisionTrainingTests
{
    private static TrainingOptions Options(string precision, int seed = 7) =>
        TrainingTestData.TinyOptions([3, 1, 2], seed) with { Precision = precision, BatchSize = 16 };

    private static TrainingResult Train(TrainingOptions options, ICheckpointStore? checkpoints = null, List<string>? log = null) =>
        new TSimCneTrainer(options).Train(TrainingTestData.TwoClasses(64),
            new SynchronousProgress<TrainingEvent>(e => { if (e is TrainingMessage m) log?.Add(m.Text); }), checkpoints);

    [Fact]
    public void Bf16RunsAreReproduciblePerSeedAndDifferFromFp32()
    {
        var first = Train(Options("bf16"));
        var second = Train(Options("bf16"));
        var fp32 = Train(Options("fp32"));
        using (first.Model) using (second.Model) using (fp32.Model)
        {
            Assert.Equal(first.Coordinates, second.Coordinates);
            Assert.NotEqual(first.Coordinates, fp32.Coordinates);
            Assert.Equal("bf16", first.Model.Precision);
            Assert.Equal("bf16", first.Model.Options.Precision);
        }
    }

    [Fact]
    public void TheRunLogSaysWhichPrecisionWasPickedAndWhy()
    {
        var log = new List<string>();
        Train(Options("auto"), log: log).Model.Dispose();
        var line = Assert.Single(log, l => l.StartsWith("Precision ", StringComparison.Ordinal));
        Assert.Matches("^Precision (fp32|bf16): auto: ", line);
    }

    [Fact]
    public void ASavedBf16ModelEmbedsInBf16UnlessToldOtherwise()
    {
        var result = Train(Options("bf16"));
        using var model = result.Model;
        var bytes = model.ToBytes();
        using var reloaded = TSimCneModel.FromBytes(bytes, "cpu");
        using var asFp32 = TSimCneModel.FromBytes(bytes, "cpu", "fp32");

        Assert.Equal("bf16", reloaded.Precision);
        Assert.Equal("fp32", asFp32.Precision);
        var data = TrainingTestData.TwoClasses(64);
        Assert.Equal(model.Transform(data), reloaded.Transform(data));
        var fp32Map = asFp32.Transform(data);
        Assert.NotEqual(model.Transform(data), fp32Map);
    }

    [Fact]
    public void ACheckpointOfOnePrecisionIsNotContinuedInTheOther()
    {
        var store = new InMemoryCheckpointStore();
        Train(Options("bf16") with { EpochsPerStage = [1, 0, 0] }, store).Model.Dispose();

        var error = Assert.Throws<InvalidDataException>(() => Train(Options("fp32") with { EpochsPerStage = [1, 0, 0] }, store));
        Assert.Contains("Precision", error.Message);
        // auto continues in the checkpoint's precision instead of probing again.
        var log = new List<string>();
        Train(Options("auto") with { EpochsPerStage = [1, 0, 0] }, store, log).Model.Dispose();
        Assert.Contains(log, l => l == "Precision bf16: auto: as the checkpoint this run continues.");
    }

    [Fact]
    public void Fp32CheckpointSettingsLeaveThePrecisionOutSoOlderCheckpointsStillMatch()
    {
        var data = TrainingTestData.TwoClasses(8);
        Assert.DoesNotContain("Precision", CheckpointSettings.Describe(Options("fp32"), data));
        Assert.Contains("\"Precision\":\"bf16\"", CheckpointSettings.Describe(Options("bf16"), data));
        Assert.Equal("fp32", CheckpointSettings.SavedPrecision(CheckpointSettings.Describe(Options("fp32"), data)));
    }
}
