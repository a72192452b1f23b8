using Bunit;
using Medvis.Core.Data;
using Medvis.Core.Quality;
using Medvis.Core.Storage;
using Medvis.Web.Components.Shared;
using Medvis.Web.Results;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Components;

public sealed class QualityPanelTests : DatabasePageTestContext
{
    public QualityPanelTests()
    {
        AddDatasetServices();
        Services.AddSingleton<RunResults>();
        Services.AddSingleton<RunQuality>();
    }

    /// <summary>A finished run on demo-qc's train split, mapped by the images' first two pixel components (cheap, and it keeps the copies together).</summary>
    private (int RunId, SyntheticDataset Data) StoreDemoQcRun()
    {
        var data = new SyntheticMicroscopyDataset(SyntheticMicroscopyOptions.QualityControl).LoadWithFlags(DatasetSplit.Train);
        var rows = Enumerable.Range(0, data.Images.Count).ToArray();
        var components = ImageFingerprints.PixelComponents(data.Images, rows, components: 2);
        var run = Database.Runs.Add(new RunRecord { Name = "qc", Status = RunStatus.Done, DatasetSpec = "demo-qc", DatasetName = "demo-qc", Split = DatasetSplit.Train });
        Database.Artifacts.SaveResult(new RunResult(run.Id, rows.Select(i => components[i, 0]).ToArray(), rows.Select(i => components[i, 1]).ToArray(),
            data.Images.Labels, rows, data.Images.ClassNames));
        return (run.Id, data);
    }

    [Fact]
    public void TheQualityTabShowsTheInjectedCopiesFirstAmongTheNearDuplicates()
    {
        var (runId, data) = StoreDemoQcRun();

        var cut = Render<QualityPanel>(p => p.Add(c => c.RunId, runId));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=quality-duplicates] img")), TimeSpan.FromSeconds(60));
        Assert.Contains("distances in map+features", cut.Find("[data-testid=quality-summary]").TextContent);
        var duplicates = cut.FindAll("[data-testid=quality-duplicates] img[data-point]");
        Assert.Equal(QualityPanel.Shown, duplicates.Count);
        Assert.All(duplicates, image => Assert.True(data.Flags.IsDuplicate[int.Parse(image.GetAttribute("data-point")!)], image.ParentElement!.GetAttribute("title")));
        // Each duplicate is shown beside its partner, itself one of the injected copies' group.
        var pairs = cut.FindAll("[data-testid=duplicate-pair]");
        Assert.Equal(QualityPanel.Shown, pairs.Count);
        Assert.All(pairs, pair => Assert.NotEqual(pair.QuerySelector("img[data-point]")!.GetAttribute("data-point"), pair.QuerySelector("img[data-partner]")!.GetAttribute("data-partner")));
        Assert.StartsWith($"api/runs/{runId}/images/", duplicates[0].GetAttribute("src"));
        Assert.Equal(QualityPanel.Shown, cut.FindAll("[data-testid=quality-outliers] img").Count);
        Assert.NotEmpty(cut.FindAll("[data-testid=quality-label-errors] img"));
    }

    [Fact]
    public void ALargeImportedMapWithoutImagesGetsItsListsAndSaysWhatWasLimited()
    {
        // A map past QualityAnalysis.MaxFeaturePoints, imported without a dataset: no images, no features.
        var n = QualityAnalysis.MaxFeaturePoints + 2_000;
        var random = new Random(4);
        var x = Enumerable.Range(0, n).Select(i => (float)(i % 4 * 30 + random.NextDouble() * 10)).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 10)).ToArray();
        var labels = Enumerable.Range(0, n).Select(i => i % 4).ToArray();
        // Point 5 (class 1) sits in class 2's cluster.
        x[5] = 65;
        var run = Database.Runs.Add(new RunRecord { Name = "imported", Status = RunStatus.Done, Kind = RunKind.Imported });
        Database.Artifacts.SaveResult(new RunResult(run.Id, x, y, labels, Enumerable.Range(0, n).ToArray(), ["a", "b", "c", "d"]));

        var cut = Render<QualityPanel>(p => p.Add(c => c.RunId, run.Id).Add(c => c.HasImages, false));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=quality-limited]")), TimeSpan.FromSeconds(120));
        Assert.Contains("without the pixel features", cut.Find("[data-testid=quality-limited]").TextContent);
        Assert.Contains("distances in map", cut.Find("[data-testid=quality-summary]").TextContent);
        Assert.Empty(cut.FindAll("img"));
        Assert.Contains(cut.FindAll("[data-testid=quality-label-errors] .mud-chip"), chip => chip.GetAttribute("data-point") == "5");
    }

    [Fact]
    public void ARunWithoutAMapShowsWhyTheListsAreMissing()
    {
        var run = Database.Runs.Add(new RunRecord { Name = "empty", Status = RunStatus.Done, DatasetSpec = "demo" });

        var cut = Render<QualityPanel>(p => p.Add(c => c.RunId, run.Id));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=quality-none]")), Patience);
    }
}
