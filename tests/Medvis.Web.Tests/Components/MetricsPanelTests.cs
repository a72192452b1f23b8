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
}
