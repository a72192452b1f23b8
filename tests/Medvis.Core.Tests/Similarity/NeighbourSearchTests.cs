using Medvis.Core.Similarity;

namespace Medvis.Core.Tests.Similarity;

public sealed class NeighbourSearchTests
{
    private static float[,] RandomPoints(int count, int dimensions, int seed)
    {
        var random = new Random(seed);
        var points = new float[count, dimensions];
        for (var i = 0; i < count; i++)
        for (var d = 0; d < dimensions; d++)
            points[i, d] = (float)(random.NextDouble() * 10);
        return points;
    }

    /// <summary>Sorts every other row by distance, ties by row: the answer any exact search must give.</summary>
    private static (int Point, double Distance)[] BruteForce(float[,] reference, float[,] queries, int query, int k, int? self = null)
    {
        var d = reference.GetLength(1);
        return Enumerable.Range(0, reference.GetLength(0)).Where(r => r != self)
            .Select(r => (Point: r, Distance: Math.Sqrt(Enumerable.Range(0, d).Sum(j => Math.Pow((double)reference[r, j] - queries[query, j], 2)))))
            .OrderBy(p => p.Distance).ThenBy(p => p.Point).Take(k).ToArray();
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(64, 2)]
    public void NeighboursOfAPointMatchBruteForce(int dimensions, int seed)
    {
        var points = RandomPoints(400, dimensions, seed);
        foreach (var point in new[] { 0, 17, 399 })
        {
            var found = NeighbourSearch.OfPoint(points, point);
            var expected = BruteForce(points, points, point, 15, self: point);
            Assert.Equal(expected.Select(e => e.Point), found.Select(f => f.Point));
            Assert.All(found.Zip(expected), p => Assert.Equal(p.Second.Distance, p.First.Distance, 3));
            Assert.DoesNotContain(point, found.Select(f => f.Point));
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(128)]
    public void NeighboursOfNewVectorsMatchBruteForce(int dimensions)
    {
        var reference = RandomPoints(300, dimensions, 5);
        var queries = RandomPoints(7, dimensions, 6);
        var found = NeighbourSearch.Nearest(reference, queries);
        Assert.Equal(7, found.Length);
        for (var q = 0; q < 7; q++)
            Assert.Equal(BruteForce(reference, queries, q, 15).Select(e => e.Point), found[q].Select(f => f.Point));
    }

    [Fact]
    public void FewerReferencePointsThanKGiveThemAll()
    {
        var found = NeighbourSearch.Nearest(RandomPoints(4, 2, 1), RandomPoints(1, 2, 2));
        Assert.Equal(4, found[0].Count);
        Assert.Equal(3, NeighbourSearch.OfPoint(RandomPoints(4, 2, 1), 0).Count);
        Assert.Throws<ArgumentException>(() => NeighbourSearch.OfPoint(RandomPoints(4, 2, 1), 4));
        Assert.Throws<ArgumentException>(() => NeighbourSearch.Nearest(RandomPoints(4, 2, 1), RandomPoints(1, 3, 2)));
    }

    [Fact]
    public void OverlapCountsSharedPointsAndJaccard()
    {
        var overlap = NeighbourSearch.Overlap([1, 2, 3, 4], [3, 4, 5, 6]);
        Assert.Equal([3, 4], overlap.Shared);
        Assert.Equal(2.0 / 6, overlap.Jaccard, 10);
        Assert.Equal(1, NeighbourSearch.Overlap([1], [1]).Jaccard);
    }

    [Fact]
    public void TheVoteIsTheMajorityWithItsShareAndTiesGoToTheNearest()
    {
        var vote = ClassVote.Of([2, 0, 2, 1, 2], classCount: 3);
        Assert.Equal(2, vote.Label);
        Assert.Equal(0.6, vote.Confidence, 10);
        Assert.Equal([1, 1, 3], vote.Votes);
        Assert.Equal(1, ClassVote.Of([1, 0, 0, 1], 2).Label);
        Assert.Equal(0, ClassVote.Of([0, 1, 1, 0], 2).Label);
        Assert.Throws<ArgumentException>(() => ClassVote.Of([], 2));
        Assert.Throws<ArgumentException>(() => ClassVote.Of([3], 2));
    }
}
