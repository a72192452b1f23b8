using System.Diagnostics;
using Medvis.Core.Evaluation;

namespace Medvis.Core.Quality;

/// <summary>
/// Runs the three data-quality finders on one map: near-duplicates, outliers and likely label errors. The
/// neighbour searches (map, and features when given) run once and feed all three.
/// </summary>
public static class QualityAnalysis
{
    /// <summary>The ranked lists of <paramref name="input"/>'s suspicious points.</summary>
    public static QualityReport Run(QualityInput input, QualityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new QualityOptions();
        Check(input);
        options.Validate(input.Labels.Length);
        var watch = Stopwatch.StartNew();
        var map = NeighbourSpace.Build("map", input.Map, options.K);
        IReadOnlyList<NeighbourSpace> spaces = input.Features is null ? [map] : [map, NeighbourSpace.Build("features", input.Features, options.K)];
        var duplicates = new NearDuplicateFinder(options).Find(input, spaces);
        var outliers = new OutlierFinder(options).Find(input, spaces);
        var labelErrors = new LabelErrorFinder(options).Find(input, map);
        return new QualityReport(input.Labels.Length, options.K, string.Join("+", spaces.Select(s => s.Name)),
            duplicates, outliers, labelErrors, watch.Elapsed.TotalSeconds);
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
