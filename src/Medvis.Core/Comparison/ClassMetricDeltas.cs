using Medvis.Core.Evaluation;

namespace Medvis.Core.Comparison;

/// <summary>One class's numbers in a reference map and another map, and their differences (other − reference).</summary>
/// <param name="Name">Class name (classes are matched by name).</param>
/// <param name="ReferenceKnnRecall">kNN recall in the reference map; null where undefined or the class is missing.</param>
/// <param name="OtherKnnRecall">kNN recall in the other map.</param>
/// <param name="ReferenceSilhouette">Silhouette in the reference map.</param>
/// <param name="OtherSilhouette">Silhouette in the other map.</param>
public sealed record ClassMetricDelta(string Name, double? ReferenceKnnRecall, double? OtherKnnRecall, double? ReferenceSilhouette, double? OtherSilhouette)
{
    /// <summary>Change of kNN recall; null unless both are defined.</summary>
    public double? KnnRecallDelta => OtherKnnRecall - ReferenceKnnRecall;

    /// <summary>Change of silhouette; null unless both are defined.</summary>
    public double? SilhouetteDelta => OtherSilhouette - ReferenceSilhouette;
}

/// <summary>How a map's metrics differ from a reference map's, overall and per class.</summary>
/// <param name="KnnAccuracyDelta">Other − reference kNN accuracy.</param>
/// <param name="SilhouetteDelta">Other − reference silhouette; null unless both are defined.</param>
/// <param name="Classes">Per class: the reference's classes in its order, then classes only the other map has.</param>
public sealed record MetricsDelta(double KnnAccuracyDelta, double? SilhouetteDelta, IReadOnlyList<ClassMetricDelta> Classes)
{
    /// <summary>The differences of <paramref name="other"/> from <paramref name="reference"/>, classes matched by name.</summary>
    public static MetricsDelta Between(MetricsReport reference, MetricsReport other)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(other);
        var referenceClasses = reference.Classes.OrderBy(c => c.Index).ToList();
        var otherByName = other.Classes.GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First());
        var names = referenceClasses.Select(c => c.Name)
            .Concat(other.Classes.OrderBy(c => c.Index).Select(c => c.Name))
            .Distinct();
        var referenceByName = referenceClasses.GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First());
        var classes = names.Select(name =>
        {
            var a = referenceByName.GetValueOrDefault(name);
            var b = otherByName.GetValueOrDefault(name);
            return new ClassMetricDelta(name, a?.KnnRecall, b?.KnnRecall, a?.Silhouette, b?.Silhouette);
        }).ToList();
        return new MetricsDelta(other.KnnAccuracy - reference.KnnAccuracy, other.Silhouette - reference.Silhouette, classes);
    }
}
