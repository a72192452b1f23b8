using System.Globalization;
using Medvis.Core.Evaluation;

namespace Medvis.Core.Maps.Export;

/// <summary>The rows of an exported map's metrics table: how well the map keeps the classes apart, and against what.</summary>
public static class ExportMetrics
{
    /// <summary>Name and value rows of <paramref name="report"/>, the numbers a reader of the map asks for first.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Rows(MetricsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = new List<KeyValuePair<string, string>>();
        void Add(string name, string value) => rows.Add(new(name, value));
        if (report.Method is { } method) Add("method", method);
        Add("points", report.PointCount.ToString("N0", CultureInfo.InvariantCulture));
        Add($"{report.K}-NN accuracy (held-out {report.TestFraction:P0})", Percent(report.KnnAccuracy));
        if (report.KnnRepeated is { } repeated)
            Add($"kNN accuracy over {repeated.Seeds.Length} splits", string.Create(CultureInfo.InvariantCulture, $"{repeated.Mean * 100:F1} ± {repeated.StandardDeviation * 100:F1}%"));
        if (report.KnnLeaveOneOut is { } loo) Add("kNN accuracy, leave-one-out", Percent(loo));
        if (report.Silhouette is { } silhouette) Add("silhouette", silhouette.ToString("F3", CultureInfo.InvariantCulture));
        if (report.LinearProbe?.MeanAuc is { } auc) Add($"linear-probe ROC-AUC ({report.LinearProbe.Space})", auc.ToString("F3", CultureInfo.InvariantCulture));
        if (report.Baseline is { } baseline) Add("against the pixel t-SNE", baseline.Summary);
        return rows;
    }

    private static string Percent(double share) => (share * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
