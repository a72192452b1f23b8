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
        var duplicates = cut.FindAll("[data-testid=quality-duplicates] img");
        Assert.Equal(QualityPanel.Shown, duplicates.Count);
        Assert.All(duplicates, image => Assert.True(data.Flags.IsDuplicate[int.Parse(image.GetAttribute("data-point")!)], image.GetAttribute("title")));
        Assert.StartsWith($"api/runs/{runId}/images/", duplicates[0].GetAttribute("src"));
        Assert.Equal(QualityPanel.Shown, cut.FindAll("[data-testid=quality-outliers] img").Count);
        Assert.NotEmpty(cut.FindAll("[data-testid=quality-label-errors] img"));
    }

    [Fact]
    public void ARunWithoutAMapShowsWhyTheListsAreMissing()
    {
        var run = Database.Runs.Add(new RunRecord { Name = "empty", Status = RunStatus.Done, DatasetSpec = "demo" });

        var cut = Render<QualityPanel>(p => p.Add(c => c.RunId, run.Id));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=quality-none]")), Patience);
    }
}
