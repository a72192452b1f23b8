namespace Medvis.Web.Datasets;

/// <summary>One cell of the thumbnail grid. <see cref="PointIndex"/> is set when the cell is full enough to show an image.</summary>
public sealed record GridCell(int Row, int Column, int Count, int? PointIndex, int? Label)
{
    public bool ShowsImage => PointIndex is not null;
}

/// <summary>
/// The paper's Figure 5b: the map's bounding box cut into size×size cells; a cell holding at least
/// <c>threshold</c> points shows the image of the point nearest its centre. Row 0 is the top of the map.
/// </summary>
public static class ThumbnailGrid
{
    /// <summary>Map size at which the paper's threshold applies: BloodMNIST's training split, about 12,000 points.</summary>
    public const int PaperMapSize = 12_000;

    /// <summary>
    /// The default threshold for a map of <paramref name="points"/>: the paper's threshold (100 on about 12,000
    /// points) scaled to the map's size, so a cell needs the same share of the map on a small map as on a large one.
    /// </summary>
    public static int DefaultThreshold(int points, int paperThreshold = 100) =>
        Math.Max(1, (int)Math.Round((double)points * paperThreshold / PaperMapSize));

    /// <summary>All size×size cells, row by row from the top.</summary>
    public static IReadOnlyList<GridCell> Build(float[] x, float[] y, int[] labels, int size = 10, int threshold = 100)
    {
        if (x.Length != y.Length || x.Length != labels.Length) throw new ArgumentException("Coordinates and labels differ in length.");
        if (size is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(size), $"Grid size {size} must be between 1 and 100.");
        if (threshold < 1) throw new ArgumentOutOfRangeException(nameof(threshold), "The threshold must be at least 1 point.");
        var counts = new int[size, size];
        var nearest = new int[size, size];
        var nearestDistance = new double[size, size];
        for (var r = 0; r < size; r++)
        for (var c = 0; c < size; c++) { nearest[r, c] = -1; nearestDistance[r, c] = double.MaxValue; }
        if (x.Length > 0)
        {
            var (minX, maxX, minY, maxY) = (x.Min(), x.Max(), y.Min(), y.Max());
            var cellW = (maxX - minX) / size;
            var cellH = (maxY - minY) / size;
            for (var i = 0; i < x.Length; i++)
            {
                var column = CellOf(x[i] - minX, cellW, size);
                var row = size - 1 - CellOf(y[i] - minY, cellH, size);
                counts[row, column]++;
                var centreX = minX + (column + 0.5) * cellW;
                var centreY = maxY - (row + 0.5) * cellH;
                var distance = (x[i] - centreX) * (x[i] - centreX) + (y[i] - centreY) * (y[i] - centreY);
                if (distance < nearestDistance[row, column]) { nearestDistance[row, column] = distance; nearest[row, column] = i; }
            }
        }
        var cells = new List<GridCell>(size * size);
        for (var r = 0; r < size; r++)
        for (var c = 0; c < size; c++)
        {
            var shows = counts[r, c] >= threshold;
            cells.Add(new GridCell(r, c, counts[r, c], shows ? nearest[r, c] : null, shows ? labels[nearest[r, c]] : null));
        }
        return cells;
    }

    // Points on the upper edge belong to the last cell; a flat extent puts everything in cell 0.
    private static int CellOf(double offset, double cellExtent, int size) =>
        cellExtent <= 0 ? 0 : Math.Clamp((int)(offset / cellExtent), 0, size - 1);
}
