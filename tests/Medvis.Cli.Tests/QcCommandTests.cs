using System.CommandLine;
using Medvis.Cli.Commands;
using Medvis.Core.Data;
using Medvis.Core.Evaluation;
using Medvis.Core.Quality;

namespace Medvis.Cli.Tests;

public sealed class QcCommandTests : IDisposable
{
    private static readonly SyntheticMicroscopyOptions Demo =
        SyntheticMicroscopyOptions.QualityControl with { Count = 400, DuplicateCopies = 30, ArtefactImages = 10 };

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("medvis-qc-");

    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>
    /// A coords.csv of the demo-qc train split in reverse order (so rows and image indices differ), mapped by the
    /// images' first two pixel components: cheap, deterministic, and it keeps the copies together.
    /// </summary>
    private (string Path, SyntheticDataset Data) WriteMap()
    {
        var data = new SyntheticMicroscopyDataset(Demo).LoadWithFlags(DatasetSplit.Train);
        var order = Enumerable.Range(0, data.Images.Count).Reverse().ToArray();
        var components = ImageFingerprints.PixelComponents(data.Images, order, components: 2);
        var map = new float[order.Length, 2];
        for (var i = 0; i < order.Length; i++) { map[i, 0] = components[i, 0]; map[i, 1] = components[i, 1]; }
        var path = Path.Combine(_folder.FullName, "coords.csv");
        CoordsCsv.Write(path, new MapCoordinates(order, order.Select(i => data.Images.Labels[i]).ToArray(), data.Images.ClassNames, map));
        return (path, data);
    }

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = QcCommand.Create(_ => new SyntheticMicroscopyDataset(Demo)).Parse(args)
            .Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void QcOnAMapPastTheFeatureLimitSaysWhatWasLeftOut()
    {
        var n = QualityAnalysis.MaxFeaturePoints + 1;
        var random = new Random(6);
        var map = new float[n, 2];
        for (var i = 0; i < n; i++) (map[i, 0], map[i, 1]) = ((float)random.NextDouble(), (float)random.NextDouble());
        var path = Path.Combine(_folder.FullName, "large.csv");
        CoordsCsv.Write(path, new MapCoordinates(Enumerable.Range(0, n).ToArray(), Enumerable.Range(0, n).Select(i => i % 3).ToArray(), ["a", "b", "c"], map));

        var (exit, output, error) = Run("--coords", path, "--show", "1");

        Assert.True(exit == 0, error);
        Assert.Contains($"{n} points, k = 15, distances in map,", output);
        Assert.Contains("Limited: 50,001 points is over 50,000", output);
    }

    [Fact]
    public void QcListsTheInjectedCopiesFirstAndWritesTheReport()
    {
        var (coords, data) = WriteMap();
        var json = Path.Combine(_folder.FullName, "qc.json");

        var (exit, output, error) = Run("--coords", coords, "--data", "demo-qc", "--top", "40", "--show", "3", "--out", json);

        Assert.True(exit == 0, error);
        Assert.Contains("310 points, k = 15, distances in map+features", output);
        Assert.Contains("Near-duplicates: 40 kept", output);
        Assert.Contains("Outliers: 40 kept", output);
        Assert.Contains("Likely label errors:", output);
        var report = QualityReport.FromJson(File.ReadAllText(json));
        var copies = Enumerable.Range(0, data.Images.Count).Where(i => data.Flags.IsDuplicate[i]).ToArray();
        Assert.Equal(copies, report.NearDuplicates.Take(copies.Length).Select(i => i.Index).Order());
        // Rows run backwards through the images: the report names each image by its index, not its row.
        Assert.All(report.NearDuplicates, item => Assert.Equal(data.Images.Count - 1 - item.Point, item.Index));
    }

    [Fact]
    public void QcWithoutImagesUsesTheMapAlone()
    {
        var (coords, _) = WriteMap();
        var (exit, output, error) = Run("--coords", coords, "--top", "5");
        Assert.True(exit == 0, error);
        Assert.Contains("distances in map,", output);
    }

    [Fact]
    public void AMapWhoseIndicesTheSplitLacksIsRefusedInOneLine()
    {
        var (coords, _) = WriteMap();
        var (exit, _, error) = Run("--coords", coords, "--data", "demo-qc", "--split", "val");
        Assert.Equal(CliApp.ErrorExitCode, exit);
        Assert.Contains("lies outside the 40 images", error);
        Assert.Contains("is --split right?", error);
    }
}
