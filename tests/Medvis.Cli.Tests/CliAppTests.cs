using Medvis.Cli;
using Medvis.Cli.Commands;
using Medvis.Core.Augmentation;
using Medvis.Core.Tests.Data;

namespace Medvis.Cli.Tests;

public class CliAppTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [SkippableFact]
    public void DatasetsInfoPrintsTheBloodCellClassesAndSplits()
    {
        var (code, output, error) = Run("datasets", "info", SharedData.File("pbc-bloodcells-28.npz"));

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("8 classes, 28×28 RGB", output);
        Assert.Contains("splits: train 11964 / val 1709 / test 3419", output);
        foreach (var name in new[] { "basophil", "eosinophil", "erythroblast", "immature granulocyte", "lymphocyte", "monocyte", "neutrophil", "platelet" })
            Assert.Contains(name, output);
    }

    [SkippableFact]
    public void DatasetsInfoReportsGreyImages()
    {
        var (code, output, _) = Run("datasets", "info", SharedData.File("breastmnist.npz"));

        Assert.Equal(0, code);
        Assert.Contains("2 classes, 28×28 grey", output);
        Assert.Contains("splits: train 546 / val 78 / test 156", output);
    }

    [Fact]
    public void DatasetsInfoDescribesTheDemo()
    {
        var (code, output, _) = Run("datasets", "info", "demo:64");

        Assert.Equal(0, code);
        Assert.Contains("8 classes, 64×64 RGB", output);
        Assert.Contains("kidney-shaped nucleus", output);
        Assert.Contains("splits: train 2100 / val 300 / test 600", output);
    }

    [Fact]
    public void MissingFileGivesOneErrorLineAndNonZeroExit()
    {
        var path = _temp.File("absent.npz");
        var (code, output, error) = Run("datasets", "info", path);

        Assert.Equal(CliApp.ErrorExitCode, code);
        Assert.Equal("", output);
        Assert.Equal($"error: {path}: file not found", error.TrimEnd());
    }

    [Fact]
    public void CorruptNpzGivesOneErrorLineWithoutStackTrace()
    {
        var path = _temp.File("corrupt.npz");
        File.WriteAllBytes(path, [0x50, 0x4B, 0x03, 0x04, 1, 2, 3]);
        var (code, _, error) = Run("datasets", "info", path);

        Assert.NotEqual(0, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {path}: ", line);
        Assert.DoesNotContain(" at ", line);
    }

    [Fact]
    public void DatasetsMetadataWritesAnExampleTableChecksItAndRefusesDuplicateKeysInOneLine()
    {
        var path = _temp.File("ham.csv");
        var (code, output, error) = Run("datasets", "metadata", "demo", path, "--example");
        Assert.True(code == 0, error);
        Assert.Contains("2100 of 2100 images described", output);
        Assert.Contains("localization", output);
        Assert.Contains("categorical", output);
        Assert.StartsWith("image_index,age,sex,localization,dx_type\n", File.ReadAllText(path));

        var bad = _temp.File("bad.csv");
        File.WriteAllText(bad, "image_index,age\n3,40\n5000,41\n");
        (code, output, error) = Run("datasets", "metadata", "demo", bad);
        Assert.Equal(CliApp.ErrorExitCode, code);
        Assert.Equal($"error: {bad}: line 3: unknown key 5000: the dataset's image indices run from 0 to 2099", error.TrimEnd());
    }

    [Fact]
    public void DatasetsMetadataKeepsAnIdColumnWithMoreValuesThanTheCategoryLimitAsAnIdentifier()
    {
        var path = _temp.File("lesions.csv");
        File.WriteAllText(path, "image_index,lesion_id,sex\n" + string.Concat(Enumerable.Range(0, 300).Select(i => $"{i},HAM_{i:D7},{(i % 3 == 0 ? "male" : "female")}\n")));

        var (code, output, error) = Run("datasets", "metadata", "demo", path);

        Assert.True(code == 0, error);
        var rows = output.Split('\n');
        Assert.Contains(rows, r => r.Contains("lesion_id", StringComparison.Ordinal) && r.Contains("identifier", StringComparison.Ordinal)
            && r.Contains("HAM_0000000, HAM_0000001, HAM_0000002, … (300 distinct)", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("sex", StringComparison.Ordinal) && r.Contains("categorical", StringComparison.Ordinal));
        Assert.Contains("lesion_id: 300 distinct values, kept as an identifier (shown on hover, not used for colouring)", rows.Select(r => r.TrimEnd()));
    }

    [Fact]
    public void UnknownVerbOrMissingArgumentIsAParseError()
    {
        Assert.NotEqual(0, Run("frobnicate").ExitCode);
        Assert.NotEqual(0, Run("datasets", "info").ExitCode);
    }

    [Theory]
    [InlineData("--epochs", "1,2", "exactly three stages")]
    [InlineData("--epochs", "a,b,c", "three whole numbers")]
    [InlineData("--backbone", "vgg", "Unknown backbone 'vgg'")]
    [InlineData("--augment", "sideways", "Unknown augmentation set 'sideways'")]
    [InlineData("--batch", "2", "batch size 2 must be between")]
    [InlineData("--lr", "-1", "learning rate -1")]
    [InlineData("--device", "tpu", "Unknown device 'tpu'")]
    [InlineData("--split", "training", "Unknown split 'training'")]
    public void TrainRejectsBadOptionsBeforeLoadingData(string option, string value, string expected)
    {
        var (code, _, error) = Run("train", "--data", _temp.File("never-read.npz"), "--out", _temp.File("out"), option, value);

        Assert.Equal(CliApp.ErrorExitCode, code);
        Assert.StartsWith("error: ", error);
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("--batch", "64,big", "--batch: 'big' is not a whole number")]
    [InlineData("--steps", "0", "steps 0 must be between")]
    [InlineData("--backbones", "tiny,vgg", "Unknown backbone 'vgg'")]
    [InlineData("--augment", "sideways", "Unknown augmentation set 'sideways'")]
    public void BenchTrainingRejectsBadOptionsWithOneLine(string option, string value, string expected)
    {
        var (code, _, error) = Run("bench", "training", "--device", "cpu", option, value);

        Assert.Equal(CliApp.ErrorExitCode, code);
        Assert.StartsWith("error: ", error);
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("5000")]
    public void WorkerRefusesAReplayBoundOutOfRangeBeforeConnecting(string value)
    {
        var (code, _, error) = Run("worker", "--connection", "Host=127.0.0.1;Port=1;Database=never", "--device", "cpu", "--replay-snapshots", value);

        Assert.Equal(CliApp.ErrorExitCode, code);
        Assert.Equal($"error: --replay-snapshots: the replay keeps between 2 and 1000 snapshots per run, not {value}.", error.TrimEnd());
    }

    [Fact]
    public void TrainNamesAMissingDataset()
    {
        var data = _temp.File("missing.npz");
        var (code, _, error) = Run("train", "--data", data, "--out", _temp.File("out"), "--epochs", "1,0,0");

        Assert.Equal(CliApp.ErrorExitCode, code);
        Assert.Equal($"error: {data}: file not found", error.TrimEnd());
    }

    [Fact]
    public void TrainRequiresDataAndOut() => Assert.NotEqual(0, Run("train", "--epochs", "1,1,1").ExitCode);

    [Fact]
    public void TrainOptionsAreBuiltFromTheCommandLine()
    {
        var options = TrainCommand.ParseTrainingOptions(["--data", "demo", "--out", "x", "--augment", "rot90", "--epochs", "3, 1, 2",
            "--batch", "64", "--backbone", "ResNet18", "--lr", "0.01", "--seed", "7", "--device", "cpu"]);

        Assert.Equal(AugmentationOptions.Rot90, options.Augmentation);
        Assert.Equal([3, 1, 2], options.EpochsPerStage);
        Assert.Equal((64, "resnet18", 0.01, 7, "cpu"), (options.BatchSize, options.Backbone, options.LearningRate, options.Seed, options.Device));

        var defaults = TrainCommand.ParseTrainingOptions(["--data", "demo", "--out", "x"]);
        Assert.Equal(AugmentationOptions.Rotate, defaults.Augmentation);
        Assert.Equal((256, "tiny", (double?)0.1, "cpu"), (defaults.BatchSize, defaults.Backbone, defaults.LearningRate, defaults.Device));
        Assert.Equal([40, 5, 15], defaults.EpochsPerStage);

        var reference = TrainCommand.ParseTrainingOptions(["--data", "demo", "--out", "x", "--lr", "auto", "--batch", "512"]);
        Assert.Null(reference.LearningRate);
        Assert.Equal(0.06, reference.EffectiveLearningRate, 12);
        Assert.Throws<ArgumentException>(() => TrainCommand.ParseTrainingOptions(["--data", "demo", "--out", "x", "--lr", "fast"]));
        var fineTune = Assert.Throws<ArgumentException>(() => TrainCommand.ParseTrainingOptions(["--data", "demo", "--out", "x", "--fine-tune-lr", "slow"]));
        Assert.StartsWith("--fine-tune-lr 'slow'", fineTune.Message);
    }

    [Fact]
    public void PresetsSetTheDefaultsAndExplicitOptionsOverrideThem()
    {
        var budget = TrainCommand.ParseTrainingOptions(["--data", "demo", "--out", "x", "--preset", "cpu-budget"]);
        Assert.Equal(("small", 256), (budget.Backbone, budget.BatchSize));
        Assert.Equal([70, 5, 90], budget.EpochsPerStage);
        Assert.Equal(0.01, budget.EffectiveFineTuneLearningRate);
        Assert.Equal(AugmentationOptions.Rotate with { Grayscale = false }, budget.Augmentation);
        var withGreyscale = TrainCommand.ParseTrainingOptions(["--data", "demo", "--out", "x", "--preset", "cpu-budget", "--augment", "rotate"]);
        Assert.Equal(AugmentationOptions.Rotate, withGreyscale.Augmentation);
        Assert.Equal(AugmentationOptions.Rotate, TrainCommand.ParseTrainingOptions(["--data", "demo", "--out", "x"]).Augmentation);
        var automatic = TrainCommand.ParseTrainingOptions(["--data", "demo", "--out", "x", "--preset", "cpu-budget", "--fine-tune-lr", "auto"]);
        Assert.Null(automatic.FineTuneLearningRate);

        var paper = TrainCommand.ParseTrainingOptions(["--data", "demo", "--out", "x", "--preset", "paper", "--epochs", "2,1,1"]);
        Assert.Equal(("resnet18", 1024, (double?)null), (paper.Backbone, paper.BatchSize, paper.LearningRate));
        Assert.Equal([2, 1, 1], paper.EpochsPerStage);

        var overridden = TrainCommand.ParseTrainingOptions(["--data", "demo", "--out", "x", "--preset", "paper", "--backbone", "tiny"]);
        Assert.Equal("tiny", overridden.Backbone);

        var error = Assert.Throws<ArgumentException>(() => TrainCommand.ParseTrainingOptions(["--data", "demo", "--out", "x", "--preset", "huge"]));
        Assert.Contains("Unknown preset 'huge'", error.Message);
    }

    [Fact]
    public void EmbedNamesAMissingModel()
    {
        var (code, _, error) = Run("embed", "--model", _temp.Path, "--data", "demo");

        Assert.Equal(CliApp.ErrorExitCode, code);
        Assert.Equal($"error: {Path.Combine(_temp.Path, "model.bin")}: model file not found (run medvis train first)", error.TrimEnd());
    }
}
