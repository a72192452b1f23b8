using Medvis.Core.Maps;

namespace Medvis.Core.Tests.Maps;

/// <summary>A drawn lasso reduced to a short outline a link can carry, and the points inside it.</summary>
public sealed class LassoOutlineTests
{
    /// <summary>A wobbly circle of <paramref name="n"/> vertices around (cx, cy), as a slow hand draws one.</summary>
    private static PlanePoint[] Circle(int n, double cx, double cy, double r, int seed = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(i =>
        {
            var a = 2 * Math.PI * i / n;
            var rr = r * (1 + 0.02 * (random.NextDouble() - 0.5));
            return new PlanePoint(cx + rr * Math.Cos(a), cy + rr * Math.Sin(a));
        }).ToArray();
    }

    [Theory]
    [InlineData(60, 0.01)]
    [InlineData(19, 0.001)]
    [InlineData(5_000, 1)]
    [InlineData(0.2, 0.0001)]
    public void TheRoundingStepIsAPowerOfTenBetweenATwoThousandthAndATwentyThousandthOfTheMap(double extent, double step)
    {
        Assert.Equal(step, LassoOutline.Step(extent), 12);
        Assert.InRange(extent / LassoOutline.Step(extent), 2_000, 20_000);
    }

    [Fact]
    public void AHandDrawnLassoOfHundredsOfVerticesKeepsAtMostSixtyFourRoundedCornersAndItsShape()
    {
        var drawn = Circle(900, 12.3456, -4.5678, 5);

        var outline = LassoOutline.Reduce(drawn, extent: 60)!;

        Assert.InRange(outline.Length, 3, LassoOutline.MaxVertices);
        Assert.All(outline, p =>
        {
            Assert.Equal(Math.Round(p.X, 2), p.X);
            Assert.Equal(Math.Round(p.Y, 2), p.Y);
        });
        // Every corner stays on the drawn curve (within the wobble and the rounding) ...
        Assert.All(outline, p => Assert.InRange(Math.Sqrt(Math.Pow(p.X - 12.3456, 2) + Math.Pow(p.Y + 4.5678, 2)), 4.9, 5.1));
        // ... and the points inside are nearly the same: a grid of 10,000 points, inside the drawn path vs the outline.
        var (x, y) = Lattice(100, 12.3456 - 6, -4.5678 - 6, 0.12);
        var exact = Enumerable.Range(0, x.Length).Count(i => PointGrid.Contains(drawn, x[i], y[i]));
        var reduced = LassoOutline.Inside(x, y, outline).Length;
        Assert.InRange(reduced, exact * 0.98, exact * 1.02);
    }

    [Fact]
    public void ReducingAReducedOutlineChangesNothingSoALinkReselectsTheSamePoints()
    {
        var once = LassoOutline.Reduce(Circle(400, 3, 3, 2), 20)!;
        var twice = LassoOutline.Reduce(once, 20)!;
        Assert.Equal(once, twice);
    }

    [Fact]
    public void ClicksLinesAndPathsWithoutFiniteCornersEncloseNothing()
    {
        Assert.Null(LassoOutline.Reduce([new(1, 1), new(1, 1), new(1, 1)], 10));
        Assert.Null(LassoOutline.Reduce([new(0, 0), new(1, 1), new(2, 2), new(3, 3)], 10));
        Assert.Null(LassoOutline.Reduce([new(double.NaN, 0), new(1, double.PositiveInfinity), new(2, 2)], 10));
        Assert.Null(LassoOutline.Reduce([], 10));
        // A box stays a box: four corners.
        Assert.Equal(4, LassoOutline.Reduce([new(0, 0), new(2, 0), new(2, 1), new(0, 1)], 10)!.Length);
    }

    [Fact]
    public void AHugeDrawnPathIsThinnedBeforeItIsReduced()
    {
        var outline = LassoOutline.Reduce(Circle(200_000, 0, 0, 1), 4);
        Assert.NotNull(outline);
        Assert.True(outline!.Length <= LassoOutline.MaxVertices);
    }

    [Fact]
    public void TheExtentIsTheLargerSideOfThePointsBoundingBox()
    {
        Assert.Equal(8.0, LassoOutline.Extent([-3f, 5f, 1f], [2f, -1f, 0f]));
        Assert.Equal(12.0, LassoOutline.Extent([0f, 1f], [-2f, 10f]));
        Assert.Equal(1.0, LassoOutline.Extent([], []));
    }

    [Fact]
    public void InsideTakesThePointsTheGridIndexTakesAndLeavesOutSkippedOnes()
    {
        var random = new Random(5);
        var x = Enumerable.Range(0, 3_000).Select(_ => (float)(random.NextDouble() * 20)).ToArray();
        var y = Enumerable.Range(0, 3_000).Select(_ => (float)(random.NextDouble() * 20)).ToArray();
        var outline = LassoOutline.Reduce(Circle(300, 9, 11, 6), 20)!;

        var inside = LassoOutline.Inside(x, y, outline);

        Assert.Equal(PointGrid.Build(x, y).InPolygon(outline), inside);
        Assert.InRange(inside.Length, 600, 900); // π·36/400 of 3,000 ≈ 848
        Assert.Equal(inside.Where(i => i % 2 == 1), LassoOutline.Inside(x, y, outline, i => i % 2 == 0));
    }

    private static (float[] X, float[] Y) Lattice(int side, double x0, double y0, double step)
    {
        var x = new float[side * side];
        var y = new float[side * side];
        for (var i = 0; i < side * side; i++) (x[i], y[i]) = ((float)(x0 + step * (i % side)), (float)(y0 + step * (i / side)));
        return (x, y);
    }
}
