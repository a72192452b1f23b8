using Medvis.Web.Datasets;
using Medvis.Web.Extensions;
using Medvis.Web.Results;
using Medvis.Web.Training;

namespace Medvis.Web.Tests.Services;

public sealed class ThumbnailGridTests
{
    [Theory]
    [InlineData(12_000, 100, 100)]
    [InlineData(256, 100, 2)]
    [InlineData(3_000, 100, 25)]
    [InlineData(1_000_000, 100, 8_333)]
    [InlineData(0, 100, 1)]
    [InlineData(600, 5, 1)]
    public void TheDefaultThresholdIsThePapersShareOfTheMap(int points, int paperThreshold, int expected) =>
        Assert.Equal(expected, ThumbnailGrid.DefaultThreshold(points, paperThreshold));

    [Fact]
    public void PointsLandInTheCellOfTheirBoundingBoxPositionWithRowZeroAtTheTop()
    {
        // Corners of the box plus one point in the middle of the top-left cell.
        float[] x = [0, 10, 0, 10, 0.5f];
        float[] y = [0, 10, 10, 0, 9.5f];
        int[] labels = [0, 1, 2, 3, 4];

        var cells = ThumbnailGrid.Build(x, y, labels, size: 10, threshold: 1);

        Assert.Equal(100, cells.Count);
        Assert.Equal(2, Cell(cells, 0, 0).Count);          // (0,10) and (0.5,9.5): top left
        Assert.Equal(4, Cell(cells, 0, 0).Label);          // the one nearest the cell centre (0.5, 9.5)
        Assert.Equal(1, Cell(cells, 0, 9).Count);          // (10,10): top right, upper edge belongs to the last cell
        Assert.Equal(1, Cell(cells, 9, 0).Count);          // (0,0): bottom left
        Assert.Equal(3, Cell(cells, 9, 9).Label);          // (10,0): bottom right
        Assert.Equal(5, cells.Sum(c => c.Count));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(100, 1)]
    [InlineData(101, 0)]
    public void OnlyCellsWithAtLeastThresholdPointsShowAnImage(int threshold, int expectedCells)
    {
        // 100 points clustered in one cell, 4 singletons elsewhere (one of them spans the box to the origin).
        var x = Enumerable.Repeat(1f, 101).Concat([5f, 9.5f, 10f]).ToArray();
        var y = Enumerable.Repeat(1f, 101).Concat([5f, 0f, 10f]).ToArray();
        x[0] = 0; y[0] = 0;
        var labels = new int[x.Length];

        var cells = ThumbnailGrid.Build(x, y, labels, 10, threshold);

        Assert.Equal(expectedCells, cells.Count(c => c.ShowsImage));
        Assert.All(cells.Where(c => !c.ShowsImage), c => Assert.Null(c.PointIndex));
    }

    [Fact]
    public void AllPointsOnOneSpotFallIntoOneCell()
    {
        var cells = ThumbnailGrid.Build([2, 2, 2], [3, 3, 3], [1, 1, 1], 10, 3);
        var shown = Assert.Single(cells, c => c.ShowsImage);
        Assert.Equal(3, shown.Count);
        Assert.Equal(1, shown.Label);
    }

    [Fact]
    public void EmptyMapsGiveEmptyCellsAndBadArgumentsAreRejected()
    {
        Assert.All(ThumbnailGrid.Build([], [], [], 10, 1), c => Assert.Equal(0, c.Count));
        Assert.Throws<ArgumentException>(() => ThumbnailGrid.Build([1], [1, 2], [0], 10, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ThumbnailGrid.Build([1], [1], [0], 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ThumbnailGrid.Build([1], [1], [0], 10, 0));
    }

    private static GridCell Cell(IReadOnlyList<GridCell> cells, int row, int column) => cells.Single(c => c.Row == row && c.Column == column);
}
