using System.Globalization;
using Bunit;
using Medvis.Core.Evaluation;
using Medvis.Web.Components.Shared;
using Medvis.Web.Results;
using Medvis.Web.Tests.Support;

namespace Medvis.Web.Tests.Components;

public sealed class MetricsPanelTests : MudTestContext
{
    [Fact]
    public void ThePanelShowsTheSeededSplitTheRepeatedSplitsAndLeaveOneOut()
    {
        var (points, labels) = SyntheticPoints.Blobs(300, 3, 2, spread: 2.5, seed: 11);
        var report = MapEvaluator.Evaluate(points, labels, ["a", "b", "c"]);
        var metrics = RunMetricsReader.Read(report.ToJson());

        var cut = Render<MetricsPanel>(p => p.Add(c => c.Metrics, metrics));

        string Percent(double value) => value.ToString("P1", CultureInfo.CurrentCulture);
        Assert.Equal(Percent(report.KnnAccuracy), cut.Find("[data-testid=metric-knn]").TextContent.Trim());
        Assert.Equal($"{Percent(report.KnnRepeated!.Mean)} ± {Percent(report.KnnRepeated.StandardDeviation)}",
            cut.Find("[data-testid=metric-knn-repeated]").TextContent.Trim());
        Assert.Equal(Percent(report.KnnLeaveOneOut!.Value), cut.Find("[data-testid=metric-knn-loo]").TextContent.Trim());
    }

    [Fact]
    public void ThePanelShowsTheLinearProbeAucAndThePositionalRSquaredWhenStored()
    {
        var (points, labels) = SyntheticPoints.Blobs(120, 2, 2, spread: 2.5, seed: 3);
        var probe = LinearProbe.Evaluate(points, labels);
        var report = MapEvaluator.Evaluate(points, labels, ["a", "b"]) with
        {
            LinearProbe = LinearProbeScore.From("backbone features", 120, probe, 0.5),
            Positional = new PositionalScore("backbone features", 50, 400, 0.5, 0.734, 0.7, 0.768, 0.2),
        };

        var cut = Render<MetricsPanel>(p => p.Add(c => c.Metrics, RunMetricsReader.Read(report.ToJson())));

        string F3(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
        Assert.Equal($"{F3(probe.MeanAuc)} ± {F3(probe.StandardDeviation)}", cut.Find("[data-testid=metric-probe-auc]").TextContent.Trim());
        Assert.Equal("0.734", cut.Find("[data-testid=metric-positional]").TextContent.Trim());
        var bare = Render<MetricsPanel>(p => p.Add(c => c.Metrics, RunMetricsReader.Read(MapEvaluator.Evaluate(points, labels, ["a", "b"]).ToJson())));
        Assert.Empty(bare.FindAll("[data-testid=metric-probe-auc]"));
    }

    [Fact]
    public void ThePanelComparesTheMapWithItsPixelBaselineAndLinksTheTwoMapsInCompare()
    {
        var (points, labels) = SyntheticPoints.Blobs(200, 2, 2, spread: 2.5, seed: 5);
        var map = MapEvaluator.Evaluate(points, labels, ["a", "b"]);
        var weaker = map with { KnnAccuracy = map.KnnAccuracy - 0.2, Silhouette = map.Silhouette - 0.3, KnnRepeated = null };
        var report = map with { Baseline = BaselineComparison.Of(map, weaker) with { RunId = 42 } };

        var cut = Render<MetricsPanel>(p => p.Add(c => c.Metrics, RunMetricsReader.Read(report.ToJson())).Add(c => c.RunId, 7));
        var alert = cut.Find("[data-testid=metric-baseline]").TextContent;
        Assert.Contains("t-SimCNE vs pixel t-SNE: +20.0 kNN points", alert);
        Assert.Equal("/compare?runs=7,42", cut.Find("[data-testid=compare-baseline]").GetAttribute("href"));

        var loses = map with { Baseline = BaselineComparison.Of(weaker, map) };
        var losing = Render<MetricsPanel>(p => p.Add(c => c.Metrics, RunMetricsReader.Read(loses.ToJson())));
        Assert.StartsWith("This map shows less than the t-SNE of the pixels (−20.0 kNN points", losing.Find("[data-testid=metric-baseline]").TextContent.Trim());
        Assert.Empty(losing.FindAll("[data-testid=compare-baseline]"));
    }
}
