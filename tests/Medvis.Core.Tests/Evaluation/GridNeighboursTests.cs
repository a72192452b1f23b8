using Medvis.Core.Comparison;
using Medvis.Core.Evaluation;

namespace Medvis.Core.Tests.Evaluation;

/// <summary>
/// The grid search that 2-D maps of many points take must find exactly what the slab search and a plain scan of
/// every point find, ties included (among equal distances the lower reference position wins).
/// </summary>
public sealed class GridNeighboursTests
{
    /// <summary>Clustered points on a coarse lattice (many equal distances and repeated points) and one far outlier.</summary>
    private static float[,] LatticeClusters(int n, int seed)
    {
        var random = new Random(seed);
        var points = new float[n, 2];
        for (var i = 0; i < n; i++)
        {
            var cluster = random.Next(4);
            points[i, 0] = MathF.Round((float)(cluster * 30 + random.NextDouble() * 10 - 5) * 4) / 4;
            points[i, 1] = MathF.Round((float)(cluster % 2 * 20 + random.NextDouble() * 6)) / 2;
        }
        points[n - 1, 0] = 900;
        points[n - 1, 1] = -400;
        return points;
    }

    private static (int[] Indices, double[] Distances) BruteForce(float[,] points, int[] reference, int query, int k)
    {
        var ranked = Enumerable.Range(0, reference.Length)
            .Select(p => (Position: p, Distance: Math.Pow(points[reference[p], 0] - (double)points[query, 0], 2) + Math.Pow(points[reference[p], 1] - (double)points[query, 1], 2)))
            .OrderBy(e => e.Distance).ThenBy(e => e.Position).Take(k).ToArray();
        return (ranked.Select(e => reference[e.Position]).ToArray(), ranked.Select(e => e.Distance).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void GridAndSlabFindTheSameNeighboursWithTies(int seed)
    {
        var points = LatticeClusters(3_000, seed);
        var all = Enumerable.Range(0, 3_000).ToArray();
        // Below GridMinPoints, Find takes the slab.
        var slab = ExactNeighbors.Find(points, all, all, 16);
        var grid = ExactNeighbors.GridScan(points, all, all, 16);
        for (var q = 0; q < all.Length; q++)
        {
            Assert.Equal(slab.Indices[q], grid.Indices[q]);
            Assert.Equal(slab.SquaredDistances[q], grid.SquaredDistances[q]);
        }
    }

    [Fact]
    public void LeavingTheQueryOutInTheGridEqualsDroppingItFromTheSlabsList()
    {
        // Repeated points: a query's own point can sit anywhere among the points at distance 0, or be crowded out.
        var points = LatticeClusters(3_000, 3);
        var all = Enumerable.Range(0, 3_000).ToArray();
        var slab = ExactNeighbors.Find(points, all, all, 15, excludeSelf: true);
        var grid = ExactNeighbors.GridScan(points, all, all, 15, excludeSelf: true);
        for (var q = 0; q < all.Length; q++)
        {
            Assert.Equal(slab.Indices[q], grid.Indices[q]);
            Assert.Equal(slab.SquaredDistances[q], grid.SquaredDistances[q]);
            Assert.DoesNotContain(q, grid.Indices[q]);
        }
    }

    [Fact]
    public void GridAnswersQueriesOutsideAReferenceSubsetAsAFullScanDoes()
    {
        var points = LatticeClusters(2_000, 5);
        var reference = Enumerable.Range(0, 2_000).Where(i => i % 3 != 0).ToArray();
        var queries = Enumerable.Range(0, 2_000).Where(i => i % 3 == 0).Append(1_999).ToArray();
        var grid = ExactNeighbors.GridScan(points, reference, queries, 7);
        for (var q = 0; q < queries.Length; q++)
        {
            var (indices, distances) = BruteForce(points, reference, queries[q], 7);
            Assert.Equal(indices, grid.Indices[q]);
            Assert.Equal(distances, grid.SquaredDistances[q]);
        }
    }

    [Fact]
    public void LargeMapsTakeTheGridAndMatchAFullScan()
    {
        var n = ExactNeighbors.GridMinPoints + 5_000;
        var points = LatticeClusters(n, 9);
        var all = Enumerable.Range(0, n).ToArray();
        var found = MapNeighbourhoods.Of(points, 15);
        foreach (var q in Enumerable.Range(0, 150).Select(i => i * 167 % n).Append(n - 1))
        {
            // The point itself is left out; with repeated points it is one of several at distance 0.
            var expected = BruteForce(points, all, q, 16).Indices.Where(p => p != q).Take(15).ToArray();
            Assert.Equal(expected.Order(), found.Neighbours[q].Order());
        }
    }
}
