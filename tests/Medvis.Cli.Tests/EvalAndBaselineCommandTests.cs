using System.CommandLine;
using Medvis.Cli.Commands;
using Medvis.Core.Data;
using Medvis.Core.Evaluation;

namespace Medvis.Cli.Tests;

public sealed class EvalAndBaselineCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("medvis-eval-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void EvalWritesTheMetricsOfACoordsFile()
    {
        var (points, labels) = SyntheticPoints.Blobs(400, 4, 2, spread: 0.5, seed: 5);
        var coords = Path.Combine(_folder.FullName, "coords.csv");
        CoordsCsv.Write(coords, new MapCoordinates(Enumerable.Range(0, 400).ToArray(), labels, ["a", "b, with comma", "c", "d"], points));
        var metrics = Path.Combine(_folder.FullName, "metrics.json");

        var exit = EvalCommand.Create().Parse(["--coords", coords, "--out", metrics]).Invoke();

        Assert.Equal(0, exit);
        var report = MetricsReport.FromJson(File.ReadAllText(metrics));
        Assert.Equal(MapEvaluator.Evaluate(points, labels, ["a", "b, with comma", "c", "d"]).KnnAccuracy, report.KnnAccuracy);
        Assert.Equal("b, with comma", report.Classes[1].Name);
        Assert.Equal(400, report.PointCount);
    }

    [Fact]
    public void EvalTakesLabelsFromASeparateFileByIndex()
    {
        var (points, labels) = SyntheticPoints.Blobs(200, 2, 2, spread: 0.5, seed: 6);
        var coords = Path.Combine(_folder.FullName, "coords.csv");
        CoordsCsv.Write(coords, new MapCoordinates(Enumerable.Range(100, 200).ToArray(), new int[200], ["all"], points));
        var labelFile = Path.Combine(_folder.FullName, "labels.csv");
        File.WriteAllLines(labelFile, new[] { "index,label,class" }.Concat(Enumerable.Range(0, 200).Reverse().Select(i => $"{i + 100},{labels[i]},kind{labels[i]}")));
        var metrics = Path.Combine(_folder.FullName, "metrics.json");

        Assert.Equal(0, EvalCommand.Create().Parse(["--coords", coords, "--labels", labelFile, "--out", metrics]).Invoke());

        var report = MetricsReport.FromJson(File.ReadAllText(metrics));
        Assert.Equal(1.0, report.KnnAccuracy);
        Assert.Equal(["kind0", "kind1"], report.Classes.Select(c => c.Name));
    }

    [Fact]
    public void EvalOfABrokenFileFailsWithExitCodeOne()
    {
        var coords = Path.Combine(_folder.FullName, "broken.csv");
        File.WriteAllText(coords, "index,label,class,x,y\n0,0,a,1.5,oops\n");
        Assert.Equal(1, EvalCommand.Create().Parse(["--coords", coords]).Invoke());
        Assert.Equal(1, EvalCommand.Create().Parse(["--coords", Path.Combine(_folder.FullName, "missing.csv")]).Invoke());
        Assert.Throws<FormatException>(() => CoordsCsv.Read(coords));
    }

    [Fact]
    public void BaselineTsneWritesCoordsAndMetrics()
    {
        var output = Path.Combine(_folder.FullName, "tsne");
        var command = BaselineCommand.Create(_ => new BlobImages());

        var exit = command.Parse(["tsne", "--data", "blobs", "--space", "pixels", "--out", output]).Invoke();

        Assert.Equal(0, exit);
        var map = CoordsCsv.Read(Path.Combine(output, "coords.csv"));
        var report = MetricsReport.FromJson(File.ReadAllText(Path.Combine(output, "metrics.json")));
        Assert.Equal(BlobImages.Count, map.Labels.Length);
        Assert.Equal("t-SNE (pixels)", report.Method);
        Assert.True(report.KnnAccuracy >= 0.95, $"kNN accuracy {report.KnnAccuracy}");
        Assert.NotNull(report.Timings.EmbeddingSeconds);
        Assert.NotNull(report.LinearProbe);
        Assert.Equal(("pixels", 64, 10), (report.LinearProbe.Space, report.LinearProbe.Dimensions, report.LinearProbe.Folds));
        Assert.True(report.LinearProbe.MeanAuc > 0.95, $"pixel linear-probe AUC {report.LinearProbe.MeanAuc}");
    }

    [Fact]
    public void BaselineTsneOfASubsetEmbedsTheSeededSubset()
    {
        var output = Path.Combine(_folder.FullName, "subset");
        Assert.Equal(0, BaselineCommand.Create(_ => new BlobImages()).Parse(["tsne", "--data", "blobs", "--max-images", "90", "--out", output]).Invoke());
        var report = MetricsReport.FromJson(File.ReadAllText(Path.Combine(output, "metrics.json")));
        Assert.Equal(90, report.PointCount);
        Assert.Equal(90, report.LinearProbe!.Images);
    }

    [Fact]
    public void BaselineOfSimclrFeaturesTrainsSimclrAndWritesTheMap()
    {
        var output = Path.Combine(_folder.FullName, "simclr");
        Assert.Equal(0, BaselineCommand.Create(_ => new BlobImages()).Parse(
            ["tsne", "--data", "x", "--space", "simclr", "--simclr-epochs", "2", "--backbone", "tiny", "--out", output]).Invoke());
        var report = MetricsReport.FromJson(File.ReadAllText(Path.Combine(output, "metrics.json")));
        Assert.Equal("t-SNE (SimCLR tiny features)", report.Method);
        Assert.Equal(BlobImages.Count, report.PointCount);
        Assert.Equal(BlobImages.Count, CoordsCsv.Read(Path.Combine(output, "coords.csv")).Coords.GetLength(0));
        using var linear = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "linear.json")));
        Assert.InRange(linear.RootElement.GetProperty("testAccuracy").GetDouble(), 0, 1);
        Assert.Equal(64, linear.RootElement.GetProperty("features").GetInt32());
    }

    /// <summary>Three classes of 8×8 grey images: bright top half, bright left half, dark with a bright centre; plus noise.</summary>
    private sealed class BlobImages : IDatasetSource
    {
        public const int Count = 240;
        public string Name => "blob images";

        public DatasetSummary Describe() => throw new NotSupportedException();

        public ImageDataset Load(DatasetSplit split)
        {
            var random = new Random(4711);
            var pixels = new byte[Count * 64];
            var labels = new int[Count];
            for (var i = 0; i < Count; i++)
            {
                labels[i] = i % 3;
                for (var p = 0; p < 64; p++)
                {
                    int row = p / 8, column = p % 8;
                    var bright = labels[i] switch { 0 => row < 4, 1 => column < 4, _ => row is 3 or 4 && column is 3 or 4 };
                    pixels[i * 64 + p] = (byte)Math.Clamp((bright ? 200 : 40) + random.Next(-30, 30), 0, 255);
                }
            }
            return new ImageDataset(Name, pixels, Count, 1, 8, 8, labels, ["top", "left", "centre"]);
        }
    }
}
