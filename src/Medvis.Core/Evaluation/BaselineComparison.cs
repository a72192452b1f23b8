using System.Globalization;

namespace Medvis.Core.Evaluation;

/// <summary>
/// A learned map against the one-minute baseline: the t-SNE of the same images' pixels, scored the same way.
/// kNN is compared on the mean over the ten seeded splits where both have it (one split of a few hundred points
/// moves by several points), else on the seed-0 split.
/// </summary>
/// <param name="Method">The baseline's name, "t-SNE (pixels)".</param>
/// <param name="KnnAccuracy">The baseline's kNN accuracy on the split the comparison uses.</param>
/// <param name="Silhouette">The baseline's silhouette (null where undefined).</param>
/// <param name="KnnDelta">Map minus baseline, in accuracy (0.156 = 15.6 points).</param>
/// <param name="SilhouetteDelta">Map minus baseline (null where either is undefined).</param>
/// <param name="KnnOverTenSplits">True when <see cref="KnnAccuracy"/> and <see cref="KnnDelta"/> are means over the ten splits.</param>
/// <param name="EmbeddingSeconds">Time the baseline's t-SNE took.</param>
public sealed record BaselineComparison(string Method, double KnnAccuracy, double? Silhouette, double KnnDelta, double? SilhouetteDelta,
    bool KnnOverTenSplits, double EmbeddingSeconds)
{
    /// <summary>Compares <paramref name="map"/> with <paramref name="baseline"/>.</summary>
    public static BaselineComparison Of(MetricsReport map, MetricsReport baseline)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(baseline);
        var overSplits = map.KnnRepeated is not null && baseline.KnnRepeated is not null;
        var mapKnn = overSplits ? map.KnnRepeated!.Mean : map.KnnAccuracy;
        var baselineKnn = overSplits ? baseline.KnnRepeated!.Mean : baseline.KnnAccuracy;
        return new(baseline.Method ?? "t-SNE (pixels)", baselineKnn, baseline.Silhouette, mapKnn - baselineKnn,
            map.Silhouette - baseline.Silhouette, overSplits, baseline.Timings.EmbeddingSeconds ?? 0);
    }

    /// <summary>The stored run that holds the baseline map, so a page can open the two side by side (null: not stored as a run).</summary>
    public int? RunId { get; init; }

    /// <summary>Whether the learned map loses to the baseline on kNN.</summary>
    public bool MapLoses => KnnDelta < 0;

    /// <summary>"t-SimCNE vs pixel t-SNE: +15.6 kNN points, +0.33 silhouette".</summary>
    public string Summary
    {
        get
        {
            var knn = string.Create(CultureInfo.InvariantCulture, $"{KnnDelta * 100:+0.0;−0.0;0.0} kNN points{(KnnOverTenSplits ? " (mean of 10 splits)" : "")}");
            var silhouette = SilhouetteDelta is { } s ? string.Create(CultureInfo.InvariantCulture, $", {s:+0.00;−0.00;0.00} silhouette") : "";
            return $"t-SimCNE vs pixel t-SNE: {knn}{silhouette}";
        }
    }
}
