using Medvis.Core.Evaluation;
using Medvis.Core.Quality;

namespace Medvis.Core.Tests.Quality;

/// <summary>
/// Maps over <see cref="QualityAnalysis.MaxFeaturePoints"/>: the finders run on the map (neighbours through the grid)
/// and the pixel hashes, leave the features out and say so, and still find injected label errors, exact duplicates
/// and far-off points.
/// </summary>
public sealed class LargeMapQualityTests
{
    private const int Classes = 8;

    [Fact]
    public void ALargeMapLeavesOutTheFeaturesSaysSoAndStillFindsWhatWasInjected()
    {
        var n = QualityAnalysis.MaxFeaturePoints + 10_000;
        var random = new Random(5);
        var map = new float[n, 2];
        var labels = new int[n];
        var hashes = new ulong[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = i % Classes;
            map[i, 0] = (float)(labels[i] * 40 + random.NextDouble() * 10);
            map[i, 1] = (float)(random.NextDouble() * 10);
            hashes[i] = (ulong)i * 2654435761UL + 1;
        }
        // 60 points of class 1 sit inside class 5's cluster: label errors.
        var wrong = Enumerable.Range(0, 60).Select(j => 1 + j * Classes * 13).ToArray();
        foreach (var p in wrong) map[p, 0] = (float)(5 * 40 + random.NextDouble() * 10);
        // 40 images with identical pixels (one hash), scattered over the map.
        var copies = Enumerable.Range(0, 40).Select(j => 3 + j * Classes * 17).ToArray();
        foreach (var p in copies) hashes[p] = 42;
        // 20 points far from everything: outliers.
        var far = Enumerable.Range(0, 20).Select(j => 6 + j * Classes * 31).ToArray();
        foreach (var (p, j) in far.Select((p, j) => (p, j))) (map[p, 0], map[p, 1]) = (-500f - 60 * j, 300f + 45 * j);
        // Features are given but must not be searched at this size.
        var features = new float[n, 3];

        var report = QualityAnalysis.Run(new QualityInput(map, labels, Enumerable.Range(0, Classes).Select(c => $"c{c}").ToArray(),
            Features: features, PixelHashes: hashes));

        Assert.Equal("map", report.Spaces);
        Assert.Contains("without the pixel features", report.Limited);
        Assert.Equal(wrong.Length, wrong.Intersect(report.LabelErrors.Select(i => i.Point)).Count());
        Assert.Equal(copies.Length, copies.Intersect(report.NearDuplicates.Select(i => i.Point)).Count());
        Assert.Equal(far.Length, far.Intersect(report.Outliers.Select(i => i.Point)).Count());
    }

    [Fact]
    public void SmallMapsKeepTheFeaturesAndHaveNoLimitation()
    {
        var random = new Random(2);
        var n = 400;
        var map = new float[n, 2];
        var features = new float[n, 3];
        for (var i = 0; i < n; i++)
        {
            (map[i, 0], map[i, 1]) = ((float)random.NextDouble(), (float)random.NextDouble());
            for (var j = 0; j < 3; j++) features[i, j] = (float)random.NextDouble();
        }

        var report = QualityAnalysis.Run(new QualityInput(map, new int[n], ["one"], Features: features));

        Assert.Equal("map+features", report.Spaces);
        Assert.Null(report.Limited);
        Assert.Null(QualityAnalysis.Limitation(QualityAnalysis.MaxFeaturePoints));
        Assert.NotNull(QualityAnalysis.Limitation(QualityAnalysis.MaxFeaturePoints + 1));
    }
}
