using Medvis.Core.Evaluation;

namespace Medvis.Web.Results;

/// <summary>Reads the metrics panels' numbers from the report a map run stored.</summary>
public static class RunMetricsReader
{
    /// <summary>The numbers the panels show, read from a stored <see cref="MetricsReport"/>.</summary>
    public static RunMetrics Read(string json)
    {
        var report = MetricsReport.FromJson(json);
        var classes = report.Classes.OrderBy(c => c.Index).ToList();
        return new RunMetrics(report.KnnAccuracy, report.Silhouette, classes.Select(c => c.Name).ToList(),
            classes.Select(c => c.KnnRecall).ToArray(), classes.Select(c => c.Silhouette).ToArray(), report.K,
            report.KnnRepeated, report.KnnLeaveOneOut, report.LinearProbe, report.Positional, report.Baseline, report.Split);
    }
}

/// <summary>
/// The numbers the metrics panels show. Undefined values (a class without test points) are null; <c>Split</c> says
/// how the kNN splits were made ("grouped by lesion_id"), null for reports from before it was recorded.
/// </summary>
public sealed record RunMetrics(
    double KnnAccuracy,
    double? Silhouette,
    IReadOnlyList<string> ClassNames,
    double?[] KnnRecallPerClass,
    double?[] SilhouettePerClass,
    int K,
    RepeatedKnnAccuracy? KnnRepeated = null,
    double? KnnLeaveOneOut = null,
    LinearProbeScore? LinearProbe = null,
    PositionalScore? Positional = null,
    BaselineComparison? Baseline = null,
    string? Split = null);
