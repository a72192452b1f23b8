using Medvis.Core.Comparison;
using Medvis.Core.Evaluation;

namespace Medvis.Core.Tests.Comparison;

/// <summary>Matching maps by dataset index, neighbourhood change, cohesion, the moved-most list and metric deltas.</summary>
public sealed class MapComparisonTests
{
    private static IndexedMap RandomMap(int n, int seed, int firstIndex = 0)
    {
        var random = new Random(seed);
        return new IndexedMap(
            Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 20)).ToArray(),
            Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 20)).ToArray(),
            Enumerable.Range(firstIndex, n).ToArray());
    }

    /// <summary>The same map turned by 90°, mirrored, halved and shifted: exact in float, so neighbours must not change.</summary>
    private static IndexedMap TurnedCopy(IndexedMap map) =>
        map with { X = map.Y.Select(v => v * 0.5f + 3).ToArray(), Y = map.X.Select(v => v * 0.5f - 8).ToArray() };

    /// <summary>The map's points in reverse order (same image at the same place): a map stores its points in any order.</summary>
    private static IndexedMap Reversed(IndexedMap map) =>
        new(map.X.Reverse().ToArray(), map.Y.Reverse().ToArray(), map.DatasetIndices.Reverse().ToArray());

    private static float[,] Matrix(IndexedMap map) => MapPoints.FromColumns(map.X, map.Y);

    [Fact]
    public void JaccardIsOneForIdenticalMapsAndForATransformedCopy()
    {
        var map = RandomMap(300, 1);
        var same = MapNeighbourhoods.Of(Matrix(map));
        var copy = MapNeighbourhoods.Of(Matrix(TurnedCopy(map)));

        Assert.All(NeighbourhoodChange.Jaccard(same, MapNeighbourhoods.Of(Matrix(map))), j => Assert.Equal(1.0, j));
        Assert.All(NeighbourhoodChange.Jaccard(same, copy), j => Assert.Equal(1.0, j));
        Assert.Equal(15, same.K);
    }

    [Fact]
    public void JaccardIsLowWhenPointsAreShuffledAcrossTheMap()
    {
        var map = RandomMap(400, 2);
        var permutation = Enumerable.Range(0, 400).OrderBy(_ => Random.Shared.Next()).ToArray();
        var shuffled = map with { X = permutation.Select(p => map.X[p]).ToArray(), Y = permutation.Select(p => map.Y[p]).ToArray() };

        var jaccard = NeighbourhoodChange.Jaccard(MapNeighbourhoods.Of(Matrix(map)), MapNeighbourhoods.Of(Matrix(shuffled)));

        // Random neighbour sets of 15 among 399 share about 15²/399 ≈ 0.6 points: a Jaccard near 0.02.
        Assert.InRange(jaccard.Average(), 0, 0.1);
    }

    [Fact]
    public void AnAlignedTransformedCopyLandsOnTheFirstMapWithUnchangedNeighbourhoods()
    {
        var map = RandomMap(250, 3);

        var comparison = MapComparison.Of([map, TurnedCopy(map)]);

        var aligned = comparison.Maps[1];
        Assert.True(aligned.Fit.Transform.Reflects);
        Assert.All(Enumerable.Range(0, 250), i =>
        {
            Assert.Equal(map.X[i], aligned.X[i], 1e-4f);
            Assert.Equal(map.Y[i], aligned.Y[i], 1e-4f);
        });
        Assert.All(aligned.JaccardToFirst, j => Assert.Equal(1.0, j));
        Assert.All(aligned.DisplacementToFirst, d => Assert.InRange(d, 0, 1e-5));
    }

    [Fact]
    public void MapsAreMatchedByDatasetIndexOverTheImagesTheyAllShow()
    {
        var first = RandomMap(100, 4);                  // images 0..99
        var second = Reversed(RandomMap(100, 5, 50));   // images 50..149, stored in reverse order

        var comparison = MapComparison.Of([first, second]);

        Assert.Equal(Enumerable.Range(50, 50), comparison.Shared.DatasetIndices);
        for (var i = 0; i < comparison.Shared.Count; i++)
        {
            var index = comparison.Shared.DatasetIndices[i];
            Assert.Equal(index, first.DatasetIndices[comparison.Shared.PointsOfMap[0][i]]);
            Assert.Equal(index, second.DatasetIndices[comparison.Shared.PointsOfMap[1][i]]);
        }
        Assert.All(comparison.Maps, m => Assert.Equal(50, m.X.Length));
    }

    [Fact]
    public void TheComparisonDoesNotDependOnTheOrderOfPointsInsideAMap()
    {
        var first = RandomMap(200, 6);
        var second = RandomMap(200, 7);

        var plain = MapComparison.Of([first, second]);
        var reordered = MapComparison.Of([Reversed(first), Reversed(second)]);

        Assert.Equal(plain.Shared.DatasetIndices, reordered.Shared.DatasetIndices);
        Assert.Equal(plain.Maps[1].JaccardToFirst, reordered.Maps[1].JaccardToFirst);
        Assert.Equal(plain.Maps[1].X, reordered.Maps[1].X);
        Assert.Equal(plain.MovedMost(1, 10), reordered.MovedMost(1, 10));
    }

    [Fact]
    public void TheImagesThatMovedMostLeadTheList()
    {
        var map = RandomMap(200, 8);
        var moved = map with { X = (float[])map.X.Clone(), Y = (float[])map.Y.Clone() };
        // Images 17 and 123 jump across the map; everything else stays.
        (moved.X[17], moved.Y[17]) = (map.X[17] + 40, map.Y[17]);
        (moved.X[123], moved.Y[123]) = (map.X[123] - 25, map.Y[123] + 25);

        var list = MapComparison.Of([map, moved]).MovedMost(1, 3);

        Assert.Equal([17, 123], list.Take(2).Select(m => m.DatasetIndex));
        Assert.True(list[0].Displacement > list[1].Displacement && list[1].Displacement > 5 * list[2].Displacement);
        Assert.True(list[0].Jaccard < 0.5);
    }

    [Fact]
    public void TheMovedMostListEqualsSortingEveryImage()
    {
        // Coordinates on a coarse lattice: many images move by exactly the same distance, so the tie rules decide.
        var random = new Random(4);
        var map = new IndexedMap(Enumerable.Range(0, 3_000).Select(_ => (float)random.Next(40)).ToArray(),
            Enumerable.Range(0, 3_000).Select(_ => (float)random.Next(40)).ToArray(), Enumerable.Range(0, 3_000).Select(i => 5_000 - i).ToArray());
        var moved = map with { X = map.X.Select(v => v + random.Next(3)).ToArray(), Y = map.Y.Select(v => v + random.Next(3)).ToArray() };
        var comparison = MapComparison.Of([map, moved]);
        var target = comparison.Maps[1];

        var expected = Enumerable.Range(0, comparison.Shared.Count)
            .Select(i => new MovedImage(i, comparison.Shared.DatasetIndices[i], target.DisplacementToFirst[i], target.JaccardToFirst[i]))
            .OrderByDescending(m => m.Displacement).ThenBy(m => m.Jaccard).ThenBy(m => m.DatasetIndex).ToList();

        Assert.Equal(expected.Take(40), comparison.MovedMost(1, 40));
        Assert.Equal(expected, comparison.MovedMost(1, 10_000));
        Assert.Empty(comparison.MovedMost(1, 0));
    }

    [Fact]
    public void ClassAgreementIsOneForSeparateClassesAndFallsWhereClassesMix()
    {
        // Class 0 left, class 1 right; in the second map five class-0 points sit inside class 1.
        var random = new Random(3);
        var x = Enumerable.Range(0, 200).Select(i => (i < 100 ? 0f : 50f) + (float)random.NextDouble() * 10).ToArray();
        var y = Enumerable.Range(0, 200).Select(_ => (float)random.NextDouble() * 10).ToArray();
        var labels = Enumerable.Range(0, 200).Select(i => i < 100 ? 0 : 1).ToArray();
        var mixedX = x.Select((v, i) => i < 5 ? v + 50 : v).ToArray();

        var apart = NeighbourhoodChange.ClassAgreement(MapNeighbourhoods.Of(MapPoints.FromColumns(x, y)), labels, 3);
        var mixed = NeighbourhoodChange.ClassAgreement(MapNeighbourhoods.Of(MapPoints.FromColumns(mixedX, y)), labels, 3);

        Assert.Equal(1.0, apart[0]);
        Assert.Equal(1.0, apart[1]);
        Assert.Null(apart[2]);
        Assert.InRange(mixed[0]!.Value, 0.90, 0.96); // the five moved points keep (almost) no class-0 neighbours
        Assert.True(mixed[1] < 1.0);
    }

    [Fact]
    public void CohesionIsOneForACompactClusterAndLowForScatteredPoints()
    {
        // A tight cluster of 30 points far from 300 spread points.
        var random = new Random(9);
        var x = Enumerable.Range(0, 330).Select(i => i < 30 ? 100 + (float)random.NextDouble() : (float)(random.NextDouble() * 50)).ToArray();
        var y = Enumerable.Range(0, 330).Select(i => i < 30 ? 100 + (float)random.NextDouble() : (float)(random.NextDouble() * 50)).ToArray();
        var map = MapNeighbourhoods.Of(MapPoints.FromColumns(x, y));

        Assert.Equal(1.0, NeighbourhoodChange.Cohesion(map, Enumerable.Range(0, 30).ToArray()));
        Assert.InRange(NeighbourhoodChange.Cohesion(map, Enumerable.Range(0, 30).Select(i => 30 + i * 10).ToArray())!.Value, 0, 0.3);
        Assert.Null(NeighbourhoodChange.Cohesion(map, [5]));
    }

    [Fact]
    public void TooFewMapsOrSharedImagesAndRepeatedImagesAreRefused()
    {
        var map = RandomMap(20, 10);
        Assert.Throws<ArgumentException>(() => MapComparison.Of([map]));
        Assert.Throws<ArgumentException>(() => MapComparison.Of([map, RandomMap(20, 11, 19)]));
        Assert.Throws<ArgumentException>(() => MapComparison.Of([map, map with { DatasetIndices = Enumerable.Repeat(3, 20).ToArray() }]));
    }

    [Fact]
    public void TinyMapsUseAsManyNeighboursAsThereAreOtherPoints()
    {
        var map = RandomMap(6, 12);
        Assert.Equal(5, MapNeighbourhoods.Of(Matrix(map)).K);
    }

    [Fact]
    public void MetricDeltasMatchClassesByNameAndSubtractTheReference()
    {
        var reference = Report(0.8, 0.5, [new ClassMetrics(0, "a", 10, 3, 0.9, 0.6), new ClassMetrics(1, "b", 10, 3, 0.7, null)]);
        var other = Report(0.85, 0.4, [new ClassMetrics(0, "b", 10, 3, 0.75, 0.2), new ClassMetrics(1, "a", 10, 3, 0.6, 0.5), new ClassMetrics(2, "c", 4, 1, 1.0, 0.1)]);

        var delta = MetricsDelta.Between(reference, other);

        Assert.Equal(0.05, delta.KnnAccuracyDelta, 1e-12);
        Assert.Equal(-0.1, delta.SilhouetteDelta!.Value, 1e-12);
        Assert.Equal(["a", "b", "c"], delta.Classes.Select(c => c.Name));
        Assert.Equal(-0.3, delta.Classes[0].KnnRecallDelta!.Value, 1e-12);
        Assert.Equal(0.05, delta.Classes[1].KnnRecallDelta!.Value, 1e-12);
        Assert.Null(delta.Classes[1].SilhouetteDelta);
        Assert.Null(delta.Classes[2].ReferenceKnnRecall);
        Assert.Null(delta.Classes[2].KnnRecallDelta);
        Assert.Equal(1.0, delta.Classes[2].OtherKnnRecall);
    }

    private static MetricsReport Report(double knn, double silhouette, IReadOnlyList<ClassMetrics> classes) =>
        new("t-SimCNE", 20, 2, 15, 0, 0.2, 16, 4, knn, silhouette, false, 20, classes, new MetricsTimings(0, 0));
}
