using System.Text;
using Medvis.Cli;
using Medvis.Core.Data;
using Medvis.Core.Evaluation;
using Medvis.Core.Tests.Data;

namespace Medvis.Cli.Tests;

/// <summary><c>medvis export-html</c> turns a run folder into one HTML file, with or without thumbnails, and refuses a folder without a map in one line.</summary>
public sealed class ExportHtmlCommandTests : IDisposable
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

    private string RunFolder(int points)
    {
        var folder = _temp.File("run");
        Directory.CreateDirectory(folder);
        var demo = DatasetCatalog.Load("demo");
        var coords = new float[points, 2];
        for (var i = 0; i < points; i++) (coords[i, 0], coords[i, 1]) = ((float)Math.Cos(i), (float)Math.Sin(i));
        var indices = Enumerable.Range(0, points).Select(i => i * 2).ToArray();
        CoordsCsv.Write(Path.Combine(folder, "coords.csv"), new MapCoordinates(indices, indices.Select(i => demo.Labels[i]).ToArray(), demo.ClassNames, coords));
        return folder;
    }

    [Fact]
    public void ARunFolderBecomesOneFileWithItsImages()
    {
        var folder = RunFolder(40);
        var html = _temp.File("map.html");

        var (code, output, error) = Run("export-html", "--run", folder, "--data", "demo", "--out", html, "--title", "demo map");

        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains("40 points with thumbnails", output);
        var text = File.ReadAllText(html, Encoding.UTF8);
        Assert.Contains("<title>demo map</title>", text);
        Assert.Contains("\"atlas\":{\"jpeg\":", text);
    }

    [Fact]
    public void WithoutTheImagesTheFileSaysThumbnailsAreLeftOut()
    {
        var folder = RunFolder(10);
        var html = _temp.File("map.html");
        var (code, output, _) = Run("export-html", "--run", folder, "--out", html);
        Assert.Equal(0, code);
        Assert.Contains("without thumbnails", output);
        Assert.Contains("Thumbnails are left out", File.ReadAllText(html));
    }

    [Fact]
    public void AFolderWithoutAMapIsRefusedInOneLine()
    {
        var (code, _, error) = Run("export-html", "--run", _temp.File("empty"), "--out", _temp.File("map.html"));
        Assert.Equal(CliApp.ErrorExitCode, code);
        Assert.Contains("no map here", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(_temp.File("map.html")));
    }
}
