namespace Medvis.Core.Maps;

/// <summary>A point of the plane, for polygon queries.</summary>
public readonly record struct PlanePoint(double X, double Y);

/// <summary>
/// A spatial index over the points of a 2-D map: a uniform grid of about <see cref="TargetPerCell"/> points per
/// cell, its points stored cell by cell. Answers the nearest point to a position (hover) and the points inside a
/// polygon (lasso) without touching the points of far cells, so a map of millions of points answers in
/// milliseconds. Immutable once built; safe to share between threads.
/// </summary>
public sealed class PointGrid
{
    /// <summary>Points per cell the grid aims at.</summary>
    public const int TargetPerCell = 16;

    /// <summary>Most cells per side (4096² cells bound the cell table at 64 MB).</summary>
    public const int MaxCellsPerSide = 4096;

    private readonly int _columns, _rows;
    private readonly double _minX, _minY, _cellWidth, _cellHeight;
    private readonly int[] _cellStart; // points of cell c: _order[_cellStart[c] .. _cellStart[c + 1]]
    private readonly int[] _order;     // point indices, cell by cell, ascending within a cell
    private readonly float[] _xs, _ys; // coordinates in _order's order (the scans read memory in sequence)

    private PointGrid(int columns, int rows, double minX, double minY, double cellWidth, double cellHeight, int[] cellStart, int[] order, float[] xs, float[] ys)
    {
        (_columns, _rows, _minX, _minY, _cellWidth, _cellHeight) = (columns, rows, minX, minY, cellWidth, cellHeight);
        (_cellStart, _order, _xs, _ys) = (cellStart, order, xs, ys);
    }

    /// <summary>Points indexed.</summary>
    public int Count => _order.Length;

    /// <summary>Indexes the points (<paramref name="x"/>[i], <paramref name="y"/>[i]); coordinates must be finite.</summary>
    /// <exception cref="ArgumentException">The arrays differ in length or hold a value that is not finite.</exception>
    public static PointGrid Build(float[] x, float[] y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Length != y.Length) throw new ArgumentException($"{x.Length} x values for {y.Length} y values.");
        var n = x.Length;
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        for (var i = 0; i < n; i++)
        {
            if (!float.IsFinite(x[i]) || !float.IsFinite(y[i])) throw new ArgumentException($"Point {i} has a coordinate that is not finite.");
            minX = Math.Min(minX, x[i]); maxX = Math.Max(maxX, x[i]);
            minY = Math.Min(minY, y[i]); maxY = Math.Max(maxY, y[i]);
        }
        if (n == 0) (minX, minY, maxX, maxY) = (0, 0, 1, 1);
        // A map of one point, or of points on a line, still needs cells of some size.
        var width = Math.Max(maxX - minX, 1e-9);
        var height = Math.Max(maxY - minY, 1e-9);
        var cells = Math.Max(1.0, (double)n / TargetPerCell);
        var columns = (int)Math.Clamp(Math.Ceiling(Math.Sqrt(cells * width / height)), 1, MaxCellsPerSide);
        var rows = (int)Math.Clamp(Math.Ceiling(cells / columns), 1, MaxCellsPerSide);
        // The last row and column end just past the largest value, so that it falls inside them.
        var cellWidth = width / columns * (1 + 1e-9);
        var cellHeight = height / rows * (1 + 1e-9);

        var cellOf = new int[n];
        var cellStart = new int[columns * rows + 1];
        for (var i = 0; i < n; i++)
        {
            var column = Math.Min((int)((x[i] - minX) / cellWidth), columns - 1);
            var row = Math.Min((int)((y[i] - minY) / cellHeight), rows - 1);
            cellOf[i] = row * columns + column;
            cellStart[cellOf[i] + 1]++;
        }
        for (var c = 0; c < columns * rows; c++) cellStart[c + 1] += cellStart[c];
        var next = cellStart[..^1];
        var order = new int[n];
        var xs = new float[n];
        var ys = new float[n];
        for (var i = 0; i < n; i++)
        {
            var at = next[cellOf[i]]++;
            order[at] = i;
            xs[at] = x[i];
            ys[at] = y[i];
        }
        return new PointGrid(columns, rows, minX, minY, cellWidth, cellHeight, cellStart, order, xs, ys);
    }

    /// <summary>
    /// The point nearest to (<paramref name="x"/>, <paramref name="y"/>) no farther than <paramref name="maxDistance"/>
    /// (any distance: <see cref="double.PositiveInfinity"/>), or -1 when there is none. Of equally near points, the
    /// lowest index. <paramref name="accept"/>, when given, leaves out the points it refuses (hidden classes).
    /// </summary>
    public int Nearest(double x, double y, double maxDistance = double.PositiveInfinity, Func<int, bool>? accept = null)
    {
        if (Count == 0 || double.IsNaN(x) || double.IsNaN(y) || !(maxDistance >= 0)) return -1;
        var centerColumn = Math.Clamp(ColumnOf(x), 0, _columns - 1);
        var centerRow = Math.Clamp(RowOf(y), 0, _rows - 1);
        var best = -1;
        var bestSquared = maxDistance * maxDistance;
        for (var ring = 0; ; ring++)
        {
            int left = centerColumn - ring, right = centerColumn + ring, bottom = centerRow - ring, top = centerRow + ring;
            for (var row = Math.Max(bottom, 0); row <= Math.Min(top, _rows - 1); row++)
            {
                var onEdge = row == bottom || row == top;
                for (var column = Math.Max(left, 0); column <= Math.Min(right, _columns - 1); column++)
                {
                    // Inside the ring's border only: the cells within were scanned by earlier rings.
                    if (!onEdge && column != left && column != right) { column = Math.Max(column, right - 1); continue; }
                    var cell = row * _columns + column;
                    for (var k = _cellStart[cell]; k < _cellStart[cell + 1]; k++)
                    {
                        double dx = _xs[k] - x, dy = _ys[k] - y;
                        var squared = dx * dx + dy * dy;
                        if ((squared < bestSquared || (squared == bestSquared && (best < 0 || _order[k] < best))) && (accept is null || accept(_order[k])))
                        {
                            bestSquared = squared;
                            best = _order[k];
                        }
                    }
                }
            }
            if (left <= 0 && bottom <= 0 && right >= _columns - 1 && top >= _rows - 1) return best;
            // Every point not yet seen lies outside the box of the rings scanned: no nearer than its border.
            var outside = DistanceToOutside(x, y, left, right, bottom, top);
            if (outside * outside > bestSquared) return best;
        }
    }

    /// <summary>The indices of the points inside <paramref name="polygon"/> (even-odd rule), ascending.</summary>
    public int[] InPolygon(IReadOnlyList<PlanePoint> polygon)
    {
        var found = new List<int>();
        Scan(polygon, found.Add);
        var result = found.ToArray();
        Array.Sort(result);
        return result;
    }

    /// <summary>How many points lie inside <paramref name="polygon"/>.</summary>
    public int CountInPolygon(IReadOnlyList<PlanePoint> polygon)
    {
        var count = 0;
        Scan(polygon, _ => count++);
        return count;
    }

    /// <summary>Whether (<paramref name="x"/>, <paramref name="y"/>) lies inside <paramref name="polygon"/> (even-odd rule, ray to +x).</summary>
    public static bool Contains(IReadOnlyList<PlanePoint> polygon, double x, double y)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        var inside = false;
        for (int i = 0, j = polygon.Count - 1; i < polygon.Count; j = i++)
        {
            var (a, b) = (polygon[i], polygon[j]);
            if ((a.Y > y) != (b.Y > y) && x < (b.X - a.X) * (y - a.Y) / (b.Y - a.Y) + a.X) inside = !inside;
        }
        return inside;
    }

    private void Scan(IReadOnlyList<PlanePoint> polygon, Action<int> found)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        if (polygon.Count < 3 || Count == 0) return;
        if (polygon.Any(p => !double.IsFinite(p.X) || !double.IsFinite(p.Y))) return;
        double minX = polygon.Min(p => p.X), maxX = polygon.Max(p => p.X), minY = polygon.Min(p => p.Y), maxY = polygon.Max(p => p.Y);
        var firstColumn = Math.Max(ColumnOf(minX), 0);
        var lastColumn = Math.Min(ColumnOf(maxX), _columns - 1);
        var firstRow = Math.Max(RowOf(minY), 0);
        var lastRow = Math.Min(RowOf(maxY), _rows - 1);
        for (var row = firstRow; row <= lastRow; row++)
            for (var column = firstColumn; column <= lastColumn; column++)
            {
                var cell = row * _columns + column;
                var (start, end) = (_cellStart[cell], _cellStart[cell + 1]);
                if (start == end) continue;
                // A cell wholly inside the polygon takes all its points without a test each: most of a large lasso.
                if (CellInside(polygon, column, row))
                {
                    for (var k = start; k < end; k++) found(_order[k]);
                    continue;
                }
                for (var k = start; k < end; k++)
                    if (Contains(polygon, _xs[k], _ys[k])) found(_order[k]);
            }
    }

    // Inside when its four corners are and no polygon edge crosses the cell's rectangle.
    private bool CellInside(IReadOnlyList<PlanePoint> polygon, int column, int row)
    {
        double left = _minX + column * _cellWidth, right = left + _cellWidth, bottom = _minY + row * _cellHeight, top = bottom + _cellHeight;
        if (!Contains(polygon, left, bottom) || !Contains(polygon, right, bottom) || !Contains(polygon, left, top) || !Contains(polygon, right, top))
            return false;
        for (int i = 0, j = polygon.Count - 1; i < polygon.Count; j = i++)
            if (SegmentTouchesRectangle(polygon[j], polygon[i], left, right, bottom, top)) return false;
        return true;
    }

    // Liang–Barsky clipping: does the segment a→b meet the closed rectangle?
    private static bool SegmentTouchesRectangle(PlanePoint a, PlanePoint b, double left, double right, double bottom, double top)
    {
        double t0 = 0, t1 = 1, dx = b.X - a.X, dy = b.Y - a.Y;
        bool Clip(double p, double q)
        {
            if (p == 0) return q >= 0;
            var t = q / p;
            if (p < 0) { if (t > t1) return false; if (t > t0) t0 = t; }
            else { if (t < t0) return false; if (t < t1) t1 = t; }
            return true;
        }
        return Clip(-dx, a.X - left) && Clip(dx, right - a.X) && Clip(-dy, a.Y - bottom) && Clip(dy, top - a.Y);
    }

    private int ColumnOf(double x) => (int)Math.Clamp(Math.Floor((x - _minX) / _cellWidth), int.MinValue / 2, int.MaxValue / 2);

    private int RowOf(double y) => (int)Math.Clamp(Math.Floor((y - _minY) / _cellHeight), int.MinValue / 2, int.MaxValue / 2);

    // Distance from the query to the nearest place outside the box of cells [left..right] × [bottom..top]; 0 when the query is outside it.
    private double DistanceToOutside(double x, double y, int left, int right, int bottom, int top)
    {
        double boxLeft = _minX + left * _cellWidth, boxRight = _minX + (right + 1) * _cellWidth;
        double boxBottom = _minY + bottom * _cellHeight, boxTop = _minY + (top + 1) * _cellHeight;
        if (x < boxLeft || x > boxRight || y < boxBottom || y > boxTop) return 0;
        return Math.Min(Math.Min(x - boxLeft, boxRight - x), Math.Min(y - boxBottom, boxTop - y));
    }
}
