using System.Diagnostics;
using Medvis.Core.Evaluation;

namespace Medvis.Core.Quality;

/// <summary>
/// Runs the three data-quality finders on one map: near-duplicates, outliers and likely label errors. The
/// neighbour searches (map, and features when given) run once and feed all three.
/// </summary>
public static class QualityAnalysis
{
    /// <summary>
    /// Most points whose image features are searched for neighbours. The feature search (51 dimensions, no grid) and
    /// the pixel PCA before it grow with the square of the count, minutes past this; the map's own search goes
    /// through a grid and the pixel hashes are one pass, so larger maps keep those.
    /// </summary>
    public const int MaxFeaturePoints = 50_000;

    /// <summary>Whether a map of <paramref name="points"/> points gets the feature space (callers skip computing features otherwise).</summary>
    public static bool UsesFeatures(int points) => points <= MaxFeaturePoints;

    /// <summary>What a map of <paramref name="points"/> points leaves out, in one line for the user; null when nothing.</summary>
    public static string? Limitation(int points) => UsesFeatures(points) ? null
        : $"{points:N0} points is over {MaxFeaturePoints:N0}: distances are measured in the map alone (its neighbours through a grid), "
          + "without the pixel features, whose neighbour search grows with the square of the count; exact duplicates still come from the pixel hashes where the images are at hand.";

    /// <summary>The ranked lists of <paramref name="input"/>'s suspicious points.</summary>
    public static QualityReport Run(QualityInput input, QualityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new QualityOptions();
        Check(input);
        options.Validate(input.Labels.Length);
        var watch = Stopwatch.StartNew();
        var map = NeighbourSpace.Build("map", input.Map, options.K);
        var features = UsesFeatures(input.Labels.Length) ? input.Features : null;
        IReadOnlyList<NeighbourSpace> spaces = features is null ? [map] : [map, NeighbourSpace.Build("features", features, options.K)];
        var duplicates = new NearDuplicateFinder(options).Find(input, spaces);
        var outliers = new OutlierFinder(options).Find(input, spaces);
        var labelErrors = new LabelErrorFinder(options).Find(input, map);
        return new QualityReport(input.Labels.Length, options.K, string.Join("+", spaces.Select(s => s.Name)),
            duplicates, outliers, labelErrors, watch.Elapsed.TotalSeconds, Limitation(input.Labels.Length));
    }

    private static void Check(QualityInput input)
    {
        PointMatrix.CheckPointsAndLabels(input.Map, input.Labels);
        var n = input.Labels.Length;
        if (input.Map.GetLength(1) != 2) throw new ArgumentException($"A map needs two columns, got {input.Map.GetLength(1)}.");
        if (input.Indices is { } indices && indices.Length != n) throw new ArgumentException($"{indices.Length} indices for {n} points.");
        if (input.PixelHashes is { } hashes && hashes.Length != n) throw new ArgumentException($"{hashes.Length} pixel hashes for {n} points.");
        if (input.Features is { } features)
        {
            if (features.GetLength(0) != n) throw new ArgumentException($"{features.GetLength(0)} feature rows for {n} points.");
            PointMatrix.CheckFinite(features);
        }
    }
}
