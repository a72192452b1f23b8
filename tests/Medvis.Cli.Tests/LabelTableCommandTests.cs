using System.Text.Json.Nodes;
using Medvis.Core.Runs;
using Medvis.Core.Tests.Data;

namespace Medvis.Cli.Tests;

/// <summary><c>--labels file.csv:dx</c> on a generated HAM10000-style folder: nested JPEGs plus their table.</summary>
public sealed class LabelTableCommandTests : IDisposable
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

    /// <summary>36 images in 24 lesions; one file deleted, one extra row, one empty label.</summary>
    private string WriteFolder()
    {
        var csv = HamStyleFolder.Write(_temp.Path, images: 36, lesions: 24);
        File.Delete(_temp.File("images/HAM10000_images_part_2/ISIC_0000035.jpg"));
        File.AppendAllText(csv, "HAM_9999999,ISIC_9999999,nv,histo,40,male,back\n");
        var lines = File.ReadAllLines(csv);
        lines[5] = lines[5].Replace(",mel,", ",,").Replace(",bkl,", ",,").Replace(",nv,", ",,");
        File.WriteAllLines(csv, lines);
        return csv;
    }

    [Fact]
    public void DatasetsInfoReportsTheMatchAndTheMetadataTheOtherColumnsBecome()
    {
        var csv = WriteFolder();

        var (code, output, error) = Run("datasets", "info", _temp.File("images"), "--labels", csv + ":dx", "--labels-group", "lesion_id", "--image-size", "8");

        Assert.True(code == 0, error);
        Assert.Contains("metadata.csv:dx: 34 images labelled in 3 classes (key column image_id)", output);
        Assert.Contains("images without a row: none", output);
        Assert.Contains("rows without an image: 2 (ISIC_0000035, ISIC_9999999), ignored", output);
        Assert.Contains("images with an empty dx: 1 (HAM10000_images_part_1/ISIC_0000004.jpg), not trained on or mapped", output);
        Assert.Contains("grouped by lesion_id: 23 groups; the evaluation keeps each group on one side of its splits", output);
        Assert.Contains("localization", output);
        Assert.Contains("continuous", output);
    }

    [Fact]
    public void TrainMapsTheLabelledImagesAndItsMetricsSayTheSplitWasGrouped()
    {
        var csv = WriteFolder();

        var (code, output, error) = Run("train", "--data", _temp.File("images"), "--labels", csv + ":dx", "--labels-group", "lesion_id",
            "--image-size", "12", "--backbone", "tiny", "--epochs", "1,1,1", "--batch", "16", "--baseline", "none", "--out", _temp.File("run"));

        Assert.True(code == 0, error);
        Assert.Contains("rows without an image: 2", output);
        Assert.Contains("(grouped by lesion_id split)", output);
        Assert.Equal(35, File.ReadAllLines(_temp.File("run/coords.csv")).Length);
        var metrics = JsonNode.Parse(File.ReadAllText(_temp.File("run/metrics.json")))!;
        Assert.Equal("grouped by lesion_id", (string?)metrics["split"]);
        var card = RunCard.FromJson(File.ReadAllText(_temp.File("run/run.json")), "run.json");
        Assert.Equal($"{_temp.File("images")}|labels={csv}|label=dx|group=lesion_id", card.Dataset.Spec);

        // Scoring the model later reads the same labels and groups from the card.
        var eval = Run("eval", "--model", _temp.File("run"), "--out", _temp.File("eval.json"));
        Assert.True(eval.ExitCode == 0, eval.Error);
        Assert.Equal("grouped by lesion_id", (string?)JsonNode.Parse(File.ReadAllText(_temp.File("eval.json")))!["split"]);
    }

    [Theory]
    [InlineData("{csv}:diagnosis", "no column \"diagnosis\" for the label (columns: lesion_id, image_id, dx, dx_type, age, sex, localization)")]
    [InlineData("{csv}", "--labels '{csv}': expected file.csv:label_column")]
    public void ABadLabelsOptionIsOneLine(string labels, string problem)
    {
        var csv = WriteFolder();
        labels = labels.Replace("{csv}", csv);

        var (code, _, error) = Run("datasets", "info", _temp.File("images"), "--labels", labels);

        Assert.Equal(CliApp.ErrorExitCode, code);
        Assert.Contains(problem.Replace("{csv}", csv), error);
        Assert.Single(error.Trim().Split('\n'));
    }
}
