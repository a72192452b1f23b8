using Medvis.Cli;
using Medvis.Core.Storage;
using Medvis.Core.Tests.Data;

namespace Medvis.Cli.Tests;

/// <summary><c>medvis import-map</c> stores a CSV map as an imported run, attached to the demo's images or alone, and refuses bad files in one line.</summary>
public sealed class ImportMapCommandTests : IDisposable
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

    [Fact]
    public void AMapOfDemoImagesBecomesAnImportedRunWithTheDemosLabels()
    {
        var csv = _temp.File("tsimcne.csv");
        File.WriteAllText(csv, "index,x,y\n5,0.5,1.5\n0,2.5,-3\n");
        var database = _temp.File("medvis.db");

        var (code, output, error) = Run("import-map", csv, "--data", "demo", "--database", database, "--name", "from python");

        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains("imported 2 points as run 1 \"from python\"", output);
        using var store = new MedvisDatabase(database);
        var run = store.Runs.Get(1)!;
        Assert.Equal((RunKind.Imported, RunStatus.Done, "demo"), (run.Kind, run.Status, run.DatasetSpec));
        Assert.Equal("demo", store.Datasets.FindBySpec("demo")!.Spec);
        var map = store.Artifacts.LoadResult(1)!;
        Assert.Equal([5, 0], map.DatasetIndices);
        Assert.True(map.ClassNames.Count > 1);
    }

    [Fact]
    public void AStandaloneMapNeedsNoDataset()
    {
        var csv = _temp.File("open.csv");
        File.WriteAllText(csv, "0,1,2\n1,3,4\n2,5,6\n");
        var (code, output, _) = Run("import-map", csv, "--database", _temp.File("medvis.db"));
        Assert.Equal(0, code);
        Assert.Contains("imported 3 points as run 1 \"open\"", output);
    }

    [Fact]
    public void AnIndexBeyondTheDatasetIsRefusedInOneLineAndNothingIsStored()
    {
        var csv = _temp.File("bad.csv");
        File.WriteAllText(csv, "index,x,y\n0,1,2\n99999,1,2\n");
        var database = _temp.File("medvis.db");
        var (code, _, error) = Run("import-map", csv, "--data", "demo", "--database", database);
        Assert.Equal(CliApp.ErrorExitCode, code);
        Assert.StartsWith("error: bad.csv:3: index 99999 is outside the dataset's", error);
        Assert.Single(error.Trim().Split('\n'));
        using var store = new MedvisDatabase(database);
        Assert.Empty(store.Runs.All());
    }
}
