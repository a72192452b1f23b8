using System.Text.Json.Nodes;
using Medvis.Core.Runs;
using Medvis.Core.Tests.Data;

namespace Medvis.Cli.Tests;

/// <summary><c>medvis train</c> end to end on a small demo subset: the run folder, the card, and reproducing from it.</summary>
public sealed class TrainCommandTests : IDisposable
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

    private (int ExitCode, string Output, string Error) TrainSmallDemo(string folder) =>
        Run("train", "--data", "demo", "--max-images", "120", "--backbone", "tiny", "--epochs", "2,1,1", "--batch", "32", "--seed", "3",
            "--augment", "rot90", "--out", _temp.File(folder));

    [Fact]
    public void ACardReproducesTheMapExactlyAndRefusesOtherData()
    {
        var first = TrainSmallDemo("first");
        Assert.True(first.ExitCode == 0, first.Error);
        var card = RunCard.FromJson(File.ReadAllText(_temp.File("first/run.json")), "run.json");
        Assert.Equal(("demo", 120, 3), (card.Dataset.Spec, card.Dataset.TrainedImages, card.Options.Seed));

        var again = Run("train", "--card", _temp.File("first/run.json"), "--out", _temp.File("again"));

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal(File.ReadAllText(_temp.File("first/coords.csv")), File.ReadAllText(_temp.File("again/coords.csv")));

        var tampered = JsonNode.Parse(File.ReadAllText(_temp.File("first/run.json")))!;
        tampered["dataset"]!["contentHash"] = "sha256:" + new string('0', 64);
        File.WriteAllText(_temp.File("tampered.json"), tampered.ToJsonString());
        var refused = Run("train", "--card", _temp.File("tampered.json"), "--out", _temp.File("refused"));

        Assert.Equal(CliApp.ErrorExitCode, refused.ExitCode);
        Assert.Contains("demo: its content hash sha256:", refused.Error);
        Assert.Contains("not the data the map was trained on", refused.Error);
        Assert.False(File.Exists(_temp.File("refused/coords.csv")));
    }

    [Fact]
    public void EmbedFlagsImagesUnlikeTheTrainingImagesNamedByTheCardBesideTheModel()
    {
        Assert.True(TrainSmallDemo("model").ExitCode == 0);

        var (code, output, error) = Run("embed", "--model", _temp.File("model"), "--data", "demo", "--split", "val", "--flag-unlike", "--out", _temp.File("val.csv"));

        Assert.True(code == 0, error);
        var rows = File.ReadAllLines(_temp.File("val.csv"));
        Assert.Equal("index,label,class,x,y,novelty_percentile,unlike_training", rows[0]);
        var flags = rows.Skip(1).Select(r => r.Split(',')[^1]).ToArray();
        Assert.All(flags, f => Assert.Contains(f, new[] { "0", "1" }));
        Assert.All(rows.Skip(1), r => Assert.InRange(double.Parse(r.Split(',')[^2], System.Globalization.CultureInfo.InvariantCulture), 0, 1));
        Assert.Contains($"Unlike the 2100 training images: {flags.Count(f => f == "1")} of {flags.Length} (", output);

        // A model without its card needs the training images named.
        File.Copy(_temp.File("model/model.bin"), _temp.File("alone.bin"));
        var refused = Run("embed", "--model", _temp.File("alone.bin"), "--data", "demo", "--flag-unlike", "--out", _temp.File("x.csv"));
        Assert.Equal(CliApp.ErrorExitCode, refused.ExitCode);
        Assert.Contains("--flag-unlike needs the training images: give --training-data", refused.Error);
        Assert.Equal(0, Run("embed", "--model", _temp.File("alone.bin"), "--data", "demo", "--split", "val", "--flag-unlike", "--training-data", "demo", "--out", _temp.File("y.csv")).ExitCode);
    }

    [Theory]
    [InlineData("isimed")]
    [InlineData("tsimcne+isimed:0.5")]
    public void AnIsimedObjectiveTrainsStageOneAndStillGivesATwoDimensionalMap(string objective)
    {
        var (code, _, error) = Run("train", "--data", "demo", "--max-images", "64", "--backbone", "tiny", "--epochs", "1,1,0",
            "--batch", "32", "--objective", objective, "--out", _temp.File("isimed"));

        Assert.True(code == 0, error);
        var rows = File.ReadAllLines(_temp.File("isimed/coords.csv"));
        Assert.Equal(65, rows.Length);
        var card = RunCard.FromJson(File.ReadAllText(_temp.File("isimed/run.json")), "run.json");
        Assert.Equal(objective, card.Options.Objective);
    }

    [Fact]
    public void MetricsHoldTheLinearProbeAndPositionalScoresAndEvalOfTheModelPrintsThemWithTheCropView()
    {
        var trained = TrainSmallDemo("scored");
        Assert.True(trained.ExitCode == 0, trained.Error);
        var metrics = Medvis.Core.Evaluation.MetricsReport.FromJson(File.ReadAllText(_temp.File("scored/metrics.json")));
        Assert.NotNull(metrics.LinearProbe);
        Assert.Equal((10, 120, "backbone features"), (metrics.LinearProbe.Folds, metrics.LinearProbe.Images, metrics.LinearProbe.Space));
        Assert.InRange(metrics.LinearProbe.MeanAuc!.Value, 0.5, 1);
        Assert.NotNull(metrics.Positional?.RSquared);

        var (code, output, error) = Run("eval", "--model", _temp.File("scored"), "--grid", "3", "--crop-map", _temp.File("crops.csv"), "--out", _temp.File("eval.json"));

        Assert.True(code == 0, error);
        Assert.Contains("linear probe of the", output);
        Assert.Contains("ROC-AUC", output);
        Assert.Contains("crop-position view: 3×3 crops", output);
        var rows = File.ReadAllLines(_temp.File("crops.csv"));
        Assert.Equal("index,label,crop_x,crop_y,x,y", rows[0]);
        Assert.Equal(1 + 120 * 9, rows.Length);
        var again = Medvis.Core.Evaluation.MetricsReport.FromJson(File.ReadAllText(_temp.File("eval.json")));
        // The same images and folds give the same probe as the training run's own metrics.
        Assert.Equal(metrics.LinearProbe.MeanAuc!.Value, again.LinearProbe!.MeanAuc!.Value, 6);
        Assert.Equal(metrics.KnnAccuracy, again.KnnAccuracy, 6);

        var (refused, _, why) = Run("eval", "--model", _temp.File("scored"), "--grid", "1");
        Assert.Equal(CliApp.ErrorExitCode, refused);
        Assert.Contains("crop grid must have 2 to 16 positions", why);
        Assert.Equal(CliApp.ErrorExitCode, Run("eval").ExitCode);
    }

    [Fact]
    public void IsimedSettingsReachTheCardAndBadOnesAreRefusedByName()
    {
        var (code, _, error) = Run("train", "--data", "demo", "--max-images", "64", "--backbone", "tiny", "--epochs", "1,1,0",
            "--batch", "32", "--objective", "isimed", "--isimed", "crops=3,size=0.4,penalty=absolute", "--out", _temp.File("settings"));

        Assert.True(code == 0, error);
        var card = RunCard.FromJson(File.ReadAllText(_temp.File("settings/run.json")), "run.json");
        Assert.Equal("crops=3,size=0.4,penalty=absolute,unit=side", card.Options.Isimed.ToSpec());

        var (refused, _, why) = Run("train", "--data", "demo", "--objective", "isimed", "--isimed", "crops=1", "--out", _temp.File("bad"));
        Assert.Equal(CliApp.ErrorExitCode, refused);
        Assert.Contains("ISImed crops per image 1 must be between 2 and 64", why);
        var (unknown, _, named) = Run("train", "--data", "demo", "--isimed", "stride=2", "--out", _temp.File("bad2"));
        Assert.Equal(CliApp.ErrorExitCode, unknown);
        Assert.Contains("Unknown ISImed setting 'stride=2'", named);
    }

    [Fact]
    public void AnUnknownObjectiveIsRefusedNamingTheChoices()
    {
        var (code, _, error) = Run("train", "--data", "demo", "--objective", "simclr", "--out", _temp.File("bad"));

        Assert.Equal(CliApp.ErrorExitCode, code);
        Assert.Contains("Objective 'simclr' must be tsimcne | isimed | tsimcne+isimed[:weight]", error);
    }

    [Fact]
    public void StageOneAloneIsRefusedBeforeTrainingWithOneLine()
    {
        var (code, _, error) = Run("train", "--data", "demo", "--epochs", "1,0,0", "--out", _temp.File("stage1"));

        Assert.Equal(CliApp.ErrorExitCode, code);
        Assert.Equal("error: Invalid training options: a 2-D map needs epochs in stage 2 or 3 (stage 1 alone trains 128-d features, not a map).",
            error.Trim());
        Assert.False(Directory.Exists(_temp.File("stage1/checkpoint")) && Directory.EnumerateFileSystemEntries(_temp.File("stage1/checkpoint")).Any());
    }

    [Fact]
    public void TrainWithoutDataOrCardSaysWhatToGive()
    {
        var (code, _, error) = Run("train", "--out", _temp.File("none"));

        Assert.Equal(CliApp.ErrorExitCode, code);
        Assert.Contains("Give --data", error);
    }

    [Fact]
    public void ABrokenCardIsNamed()
    {
        File.WriteAllText(_temp.File("broken.json"), "{ not json");

        var (code, _, error) = Run("train", "--card", _temp.File("broken.json"), "--out", _temp.File("x"));

        Assert.Equal(CliApp.ErrorExitCode, code);
        Assert.Contains("broken.json: not a run card", error);
    }
}
