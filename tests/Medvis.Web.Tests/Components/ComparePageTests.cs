using Bunit;
using Medvis.Core.Storage;
using Medvis.Web.Components.Pages;
using Medvis.Web.Components.Shared;
using Medvis.Web.Results;
using Medvis.Web.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Components;

/// <summary>The compare page over finished runs stored in a real database.</summary>
public sealed class ComparePageTests : DatabasePageTestContext
{
    private readonly FinishedMaps _maps;

    public ComparePageTests()
    {
        AddDatasetServices();
        Services.AddSingleton<RunResults>();
        Services.AddSingleton<RunComparisons>();
        RenderPopoverProvider();
        _maps = new FinishedMaps(Database);
    }

    private IRenderedComponent<Compare> Open(params int[] runs) => Open(runs[0], runs[1..], "");

    private IRenderedComponent<Compare> Open(int first, int second, string query) => Open(first, [second], query);

    private IRenderedComponent<Compare> Open(int first, int[] others, string query)
    {
        int[] runs = [first, .. others];
        Services.GetRequiredService<NavigationManager>().NavigateTo($"compare?runs={string.Join(',', runs)}{query}");
        var cut = Render<Compare>();
        // The comparison is computed off the renderer's thread.
        cut.WaitForState(() => cut.FindComponents<ClassScatter>().Count == runs.Length || cut.Markup.Contains("compare-message"), TimeSpan.FromSeconds(30));
        return cut;
    }

    [Fact]
    public void PreselectedRunsAppearSideBySideWithTheirMetricsAndConfig()
    {
        var tight = _maps.Add("tight clusters", 60, 1);
        var mixed = _maps.Add("mixed", 60, 60, seed: 2);
        Database.Runs.Add(new RunRecord { Name = "still training", Status = RunStatus.Running });

        var cut = Open(tight, mixed);

        var panels = cut.FindComponents<MetricsPanel>();
        Assert.Equal(2, panels.Count);
        Assert.Equal(1.0, panels[0].Instance.Metrics!.KnnAccuracy);
        Assert.True(panels[1].Instance.Metrics!.KnnAccuracy < 1.0);
        Assert.All(panels, p => Assert.False(p.Instance.ShowClassCharts));
        Assert.Equal(2, cut.FindComponents<ClassScatter>().Count);
        Assert.Equal(2, cut.FindComponents<OptionsSummary>().Count);
        Assert.Contains("tight clusters", cut.Markup);
        Assert.DoesNotContain("still training", cut.Markup);
    }

    [Fact]
    public void RunsWithLinearProbesShowTheAucDifferenceToTheFirst()
    {
        var first = _maps.Add("tsimcne", 60, 1);
        var second = _maps.Add("isimed", 60, 60, seed: 2);
        foreach (var (run, auc) in new[] { (first, 0.70), (second, 0.745) })
        {
            var report = Core.Evaluation.MetricsReport.FromJson(Database.Artifacts.LoadMetricsJson(run)!) with
            {
                LinearProbe = new Core.Evaluation.LinearProbeScore("backbone features", 60, 64, 10, auc, 0.05, auc, [auc], 1),
            };
            Database.Artifacts.SaveMetricsJson(run, report.ToJson());
        }

        var cut = Open(first, second);

        Assert.Equal(", linear-probe AUC +0.045", cut.Find("[data-testid=probe-delta]").TextContent.Trim());
        Assert.Equal(2, cut.FindAll("[data-testid=metric-probe-auc]").Count);
    }

    [Fact]
    public void FewerThanTwoRunsAskForMore()
    {
        var only = _maps.Add("alone", 60, 1);

        var cut = Open(only);

        Assert.Contains("Pick 2 to 4 finished runs", cut.Markup);
        Assert.Empty(cut.FindComponents<ClassScatter>());
    }

    [Fact]
    public void FourRunsShareOneLegendBelowSquareMapsTwoByTwo()
    {
        var runs = Enumerable.Range(1, 4).Select(s => _maps.Add($"seed {s}", 90, 2, s)).ToArray();

        var cut = Open(runs);

        var scatters = cut.FindComponents<ClassScatter>();
        Assert.Equal(4, scatters.Count);
        Assert.All(scatters, s =>
        {
            Assert.False(s.Instance.ShowLegend);
            Assert.True(s.Instance.Square);
        });
        Assert.Contains("--medvis-map-columns: 2", cut.Find("[data-testid=compare-maps]").GetAttribute("style"));
        Assert.Equal(FinishedMaps.ClassNames, cut.FindAll("[data-testid=legend-class]").Select(e => e.TextContent.Trim()));
        // Every class label in the per-class table, with a delta column for each later run.
        var table = cut.Find("[data-testid=class-deltas]");
        Assert.All(FinishedMaps.ClassNames, name => Assert.Contains(name, table.TextContent));
        Assert.Equal(3, table.QuerySelectorAll("th").Count(th => th.TextContent.StartsWith("Δ #")));
    }

    [Fact]
    public async Task ALassoInOneMapSelectsTheSameImagesInEveryMapAndSaysWhichMapsKeepThemTogether()
    {
        var first = _maps.Add("seed 1", 90, 1);
        var copy = _maps.AddTurnedCopy("seed 2", first);
        var cut = Open(first, copy);
        var comparison = (await Services.GetRequiredService<RunComparisons>().CompareAsync(Caller, [first, copy])).Comparison!;
        var classOne = Enumerable.Range(0, comparison.SharedCount).Where(i => comparison.Labels[i] == 1).ToArray();

        // A box around class 1 in the second (aligned) map.
        var second = cut.FindComponents<ClassScatter>()[1];
        var map = comparison.Runs[1].Map;
        var (x0, x1) = (classOne.Min(i => map.X[i]) - 0.5, classOne.Max(i => map.X[i]) + 0.5);
        var (y0, y1) = (classOne.Min(i => map.Y[i]) - 0.5, classOne.Max(i => map.Y[i]) + 0.5);
        await cut.InvokeAsync(() => second.Instance.Lassoed.InvokeAsync(new DrawnLasso([new(x0, y0), new(x1, y0), new(x1, y1), new(x0, y1)])));

        Assert.All(cut.FindComponents<ClassScatter>(), s => Assert.Equal(classOne.Order(), s.Instance.Selection!.Order()));
        Assert.Equal(["#" + first + ": 100% together", "#" + copy + ": 100% together"],
            cut.FindAll("[data-testid=cohesion]").Select(e => e.TextContent.Trim()));
        Assert.Equal(30, cut.FindAll("[data-testid=selection-grid] img").Count);
        Assert.Equal("Showing all 30 selected images, by class.", cut.Find("[data-testid=selection-how]").TextContent.Trim());
        Assert.Contains("not selected (kept for context)", cut.Find("[data-testid=shared-legend]").TextContent);

        cut.Find("[data-testid=clear-selection]").Click();
        cut.WaitForAssertion(() => Assert.All(cut.FindComponents<ClassScatter>(), s => Assert.Null(s.Instance.Selection)), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ALinksZoomAndLassoAreRestoredForEveryMapAndHostileValuesAreIgnored()
    {
        var first = _maps.Add("seed 1", 90, 1);
        var copy = _maps.AddTurnedCopy("seed 2", first);
        var comparison = (await Services.GetRequiredService<RunComparisons>().CompareAsync(Caller, [first, copy])).Comparison!;
        var classOne = Enumerable.Range(0, comparison.SharedCount).Where(i => comparison.Labels[i] == 1).ToArray();
        var map = comparison.Runs[1].Map;
        var (x0, x1) = (classOne.Min(i => map.X[i]) - 0.5, classOne.Max(i => map.X[i]) + 0.5);
        var (y0, y1) = (classOne.Min(i => map.Y[i]) - 0.5, classOne.Max(i => map.Y[i]) + 0.5);
        string N(double v) => Math.Round(v, 2).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var cut = Open(first, copy, $"&zoom=-1_12_-2_11&lasso={N(x0)}_{N(y0)}_{N(x1)}_{N(y0)}_{N(x1)}_{N(y1)}_{N(x0)}_{N(y1)}&lassoin=1");

        var scatters = cut.FindComponents<ClassScatter>();
        Assert.All(scatters, s => Assert.Equal(new MapZoom(-1, 12, -2, 11), s.Instance.Zoom));
        Assert.All(scatters, s => Assert.Equal(classOne.Order(), s.Instance.Selection!.Order()));
        Assert.Null(scatters[0].Instance.Outline);
        Assert.Equal(4, scatters[1].Instance.Outline!.Count);
        Assert.Contains("Selection: 30 image(s)", cut.Find("[data-testid=selection-count]").TextContent);

        // A picked image by its dataset index; then values that fit nothing.
        var picked = Open(first, copy, $"&point={comparison.DatasetIndices[7]}");
        Assert.All(picked.FindComponents<ClassScatter>(), s => Assert.Equal([7], s.Instance.Selection!));
        var hostile = Open(first, copy, "&zoom=5_1_0_1&lasso=NaN_0_1_0_1_1&lassoin=7&point=99999");
        Assert.All(hostile.FindComponents<ClassScatter>(), s =>
        {
            Assert.Null(s.Instance.Zoom);
            Assert.Null(s.Instance.Selection);
        });
    }

    [Fact]
    public async Task NeighbourhoodColouringShowsEachImagesJaccardAgainstTheFirstMap()
    {
        var first = _maps.Add("tight", 90, 1);
        var loose = _maps.Add("loose", 90, 40, seed: 3);
        var cut = Open(first, loose);

        cut.FindAll("[data-testid=colour-by] button")[1].Click();

        var comparison = (await Services.GetRequiredService<RunComparisons>().CompareAsync(Caller, [first, loose])).Comparison!;
        cut.WaitForAssertion(() => Assert.NotNull(cut.FindComponents<ClassScatter>()[1].Instance.ColorValues), TimeSpan.FromSeconds(10));
        var scatters = cut.FindComponents<ClassScatter>();
        Assert.Equal(comparison.Runs[1].Map.JaccardToFirst, scatters[1].Instance.ColorValues);
        // The reference map has no change against itself: it shows the mean over the other maps.
        Assert.Equal(comparison.Runs[1].Map.JaccardToFirst, scatters[0].Instance.ColorValues);
        Assert.Contains("Jaccard overlap", cut.Find("[data-testid=shared-legend]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=legend-class]"));
    }

    [Fact]
    public void TheImagesThatMovedMostAreListedWithThumbnailsAndClickingOneFindsItInEveryMap()
    {
        var (x, y, labels) = FinishedMaps.Clusters(90, 1, 4);
        var first = _maps.Add("before", x, y, labels, Enumerable.Range(0, 90).ToArray());
        var movedX = (float[])x.Clone();
        movedX[42] += 30;
        var moved = _maps.Add("after", movedX, y, labels, Enumerable.Range(0, 90).ToArray());
        var cut = Open(first, moved);

        var top = cut.FindAll("[data-testid=moved-image]")[0];
        Assert.Equal($"api/runs/{first}/images/42.png?scale=2", top.QuerySelector("img")!.GetAttribute("src"));
        top.Click();

        cut.WaitForAssertion(() => Assert.All(cut.FindComponents<ClassScatter>(), s => Assert.Equal([42], s.Instance.Selection!)), Patience);
    }

    [Fact]
    public void RunsOfDifferentDatasetsAreRefusedWithTheReason()
    {
        var first = _maps.Add("toy", 30, 1);
        var (x, y, labels) = FinishedMaps.Clusters(30, 1, 5);
        var other = _maps.Add("elsewhere", x, y, labels, Enumerable.Range(0, 30).ToArray(), dataset: "other");

        var cut = Open(first, other);

        Assert.Contains("map different images", cut.Find("[data-testid=compare-message]").TextContent);
        Assert.Empty(cut.FindComponents<ClassScatter>());
    }
}
