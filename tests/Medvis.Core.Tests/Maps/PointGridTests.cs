using Medvis.Core.Maps;

namespace Medvis.Core.Tests.Maps;

/// <summary>The spatial index answers as a scan of every point does: nearest points and polygon contents.</summary>
public sealed class PointGridTests
{
    /// <summary>Clusters of different density, a far outlier, repeated points and a line: the shapes real maps take.</summary>
    private static (float[] X, float[] Y) Map(int n, int seed)
    {
        var random = new Random(seed);
        var x = new float[n];
        var y = new float[n];
        for (var i = 0; i < n; i++)
        {
            var cluster = i % 5;
            var spread = cluster == 0 ? 0.05 : 1.0 + cluster;
            (x[i], y[i]) = cluster switch
            {
                4 => ((float)(random.NextDouble() * 40 - 20), 3f),
                _ => ((float)(cluster * 15 + spread * (random.NextDouble() - 0.5)), (float)(cluster * -7 + spread * (random.NextDouble() - 0.5))),
            };
        }
        (x[0], y[0]) = (500, -300);
        if (n > 2) (x[1], y[1]) = (x[2], y[2]);
        return (x, y);
    }

    private static int BruteNearest(float[] x, float[] y, double qx, double qy, double max)
    {
        var (best, bestSquared) = (-1, max * max);
        for (var i = 0; i < x.Length; i++)
        {
            double dx = x[i] - qx, dy = y[i] - qy, d = dx * dx + dy * dy;
            if (d < bestSquared || (d == bestSquared && (best < 0 || i < best))) (best, bestSquared) = (i, d);
        }
        return best;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 2)]
    [InlineData(5_000, 3)]
    [InlineData(60_000, 4)]
    public void NearestMatchesAScanOfEveryPoint(int n, int seed)
    {
        var (x, y) = Map(n, seed);
        var grid = PointGrid.Build(x, y);
        var random = new Random(seed + 100);
        for (var q = 0; q < 400; q++)
        {
            // Queries inside, around and far outside the map, and exactly on points.
            var (qx, qy) = q % 4 == 0 ? (x[random.Next(n)], y[random.Next(n)])
                : ((float)(random.NextDouble() * 160 - 40), (float)(random.NextDouble() * 80 - 50));
            if (q % 50 == 0) (qx, qy) = (10_000f, -10_000f);
            var max = q % 3 == 0 ? double.PositiveInfinity : random.NextDouble() * 3;
            Assert.Equal(BruteNearest(x, y, qx, qy, max), grid.Nearest(qx, qy, max));
        }
    }

    [Fact]
    public void NearestSkipsThePointsTheCallerRefuses()
    {
        var (x, y) = Map(20_000, 8);
        var grid = PointGrid.Build(x, y);
        var random = new Random(8);
        for (var q = 0; q < 200; q++)
        {
            var (qx, qy) = (random.NextDouble() * 160 - 40, random.NextDouble() * 80 - 50);
            // Only every third point counts: the brute force over those alone must agree.
            var kept = Enumerable.Range(0, x.Length).Where(i => i % 3 == 0).ToArray();
            var brute = BruteNearest(kept.Select(i => x[i]).ToArray(), kept.Select(i => y[i]).ToArray(), qx, qy, double.PositiveInfinity);
            Assert.Equal(kept[brute], grid.Nearest(qx, qy, double.PositiveInfinity, i => i % 3 == 0));
        }
    }

    [Fact]
    public void AMapOfOnePlaceOrOfALineStillAnswers()
    {
        var same = PointGrid.Build([2f, 2f, 2f], [5f, 5f, 5f]);
        Assert.Equal(0, same.Nearest(0, 0));
        Assert.Equal(-1, same.Nearest(0, 0, 1));
        var line = PointGrid.Build([0f, 1f, 2f, 3f], [1f, 1f, 1f, 1f]);
        Assert.Equal(2, line.Nearest(2.2, 7));
        Assert.Equal([1, 2], line.InPolygon([new(0.5, 0), new(2.5, 0), new(2.5, 2), new(0.5, 2)]));
        Assert.Equal(-1, PointGrid.Build([], []).Nearest(0, 0));
    }

    [Theory]
    [InlineData(2_000, 5)]
    [InlineData(80_000, 6)]
    public void PolygonsSelectWhatAScanOfEveryPointSelects(int n, int seed)
    {
        var (x, y) = Map(n, seed);
        var grid = PointGrid.Build(x, y);
        var random = new Random(seed);
        for (var p = 0; p < 40; p++)
        {
            // Star-shaped lassos of 3 to 300 vertices (concave for most), small and large.
            var (cx, cy, radius) = (random.NextDouble() * 80 - 10, random.NextDouble() * 40 - 35, 0.5 + random.NextDouble() * (p % 2 == 0 ? 5 : 60));
            var vertices = 3 + random.Next(p % 4 == 0 ? 300 : 12);
            var polygon = Enumerable.Range(0, vertices).Select(v =>
            {
                var angle = 2 * Math.PI * v / vertices;
                var r = radius * (0.3 + random.NextDouble());
                return new PlanePoint(cx + r * Math.Cos(angle), cy + r * Math.Sin(angle));
            }).ToArray();
            var expected = Enumerable.Range(0, n).Where(i => PointGrid.Contains(polygon, x[i], y[i])).ToArray();
            Assert.Equal(expected, grid.InPolygon(polygon));
            Assert.Equal(expected.Length, grid.CountInPolygon(polygon));
        }
    }

    [Fact]
    public void ABigLassoTakesWholeCellsAndStillMatchesTheScan()
    {
        var (x, y) = Map(200_000, 9);
        var grid = PointGrid.Build(x, y);
        PlanePoint[] square = [new(-30, -40), new(80, -40), new(80, 10), new(-30, 10)];
        var expected = Enumerable.Range(0, x.Length).Where(i => PointGrid.Contains(square, x[i], y[i])).ToArray();
        Assert.True(expected.Length > 150_000);
        Assert.Equal(expected, grid.InPolygon(square));
    }

    [Fact]
    public void DegeneratePolygonsSelectNothing()
    {
        var (x, y) = Map(1000, 1);
        var grid = PointGrid.Build(x, y);
        Assert.Empty(grid.InPolygon([]));
        Assert.Empty(grid.InPolygon([new(0, 0), new(10, 10)]));
        Assert.Empty(grid.InPolygon([new(0, 0), new(double.NaN, 1), new(1, 1)]));
        Assert.Throws<ArgumentException>(() => PointGrid.Build([float.NaN], [0f]));
    }
}
