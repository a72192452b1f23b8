namespace Medvis.Core.Evaluation.Tsne;

/// <summary>
/// Barnes–Hut quadtree over 2-D points for t-SNE's repulsive forces. Built top-down by partitioning an index
/// permutation; a leaf keeps its points (one, or several coincident ones at the depth limit), an inner cell
/// keeps its centre of mass. Immutable once built, so many threads may query it at once.
/// </summary>
internal sealed class QuadTree
{
    private const int MaxDepth = 48;
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly int[] _order;
    private Cell[] _cells;
    private int _cellCount;

    private struct Cell
    {
        public double CentreX, CentreY, HalfWidth, MassX, MassY;
        public int Count, FirstChild, Start, End;
    }

    /// <summary>Size of the traversal stack <see cref="Repulsion"/> needs (3 siblings waiting per level, plus slack).</summary>
    public const int StackSize = 4 * MaxDepth + 8;

    public QuadTree(double[] x, double[] y)
    {
        _x = x;
        _y = y;
        _order = Enumerable.Range(0, x.Length).ToArray();
        _cells = new Cell[4 * x.Length + 1];
        double minX = x.Min(), maxX = x.Max(), minY = y.Min(), maxY = y.Max();
        var half = Math.Max(Math.Max(maxX - minX, maxY - minY) / 2, 1e-12) * (1 + 1e-9);
        _cellCount = 1;
        Build(0, 0, x.Length, (minX + maxX) / 2, (minY + maxY) / 2, half, 0, new int[x.Length]);
    }

    /// <summary>
    /// Σ_j w_ij² (y_i − y_j) over all j ≠ i, with w = 1 / (1 + d²), and Σ_j w_ij; far cells (width / distance &lt; θ)
    /// count as one point at their centre of mass.
    /// </summary>
    public (double ForceX, double ForceY, double SumW) Repulsion(int i, double theta, int[] stack)
    {
        double xi = _x[i], yi = _y[i], fx = 0, fy = 0, sumW = 0;
        var thetaSquared = theta * theta;
        var top = 0;
        stack[top++] = 0;
        while (top > 0)
        {
            ref readonly var cell = ref _cells[stack[--top]];
            if (cell.Count == 0) continue;
            if (cell.FirstChild < 0)
            {
                for (var k = cell.Start; k < cell.End; k++)
                {
                    var j = _order[k];
                    if (j == i) continue;
                    Accumulate(xi - _x[j], yi - _y[j], 1, ref fx, ref fy, ref sumW);
                }
                continue;
            }
            double dx = xi - cell.MassX, dy = yi - cell.MassY;
            var width = 2 * cell.HalfWidth;
            if (width * width < thetaSquared * (dx * dx + dy * dy))
                Accumulate(dx, dy, cell.Count, ref fx, ref fy, ref sumW);
            else
                for (var c = 0; c < 4; c++) stack[top++] = cell.FirstChild + c;
        }
        return (fx, fy, sumW);
    }

    private static void Accumulate(double dx, double dy, int count, ref double fx, ref double fy, ref double sumW)
    {
        var w = 1 / (1 + dx * dx + dy * dy);
        sumW += count * w;
        var pull = count * w * w;
        fx += pull * dx;
        fy += pull * dy;
    }

    private void Build(int index, int start, int end, double centreX, double centreY, double half, int depth, int[] scratch)
    {
        double sx = 0, sy = 0;
        for (var k = start; k < end; k++) { sx += _x[_order[k]]; sy += _y[_order[k]]; }
        var count = end - start;
        var cell = new Cell
        {
            CentreX = centreX, CentreY = centreY, HalfWidth = half, Count = count,
            MassX = count > 0 ? sx / count : centreX, MassY = count > 0 ? sy / count : centreY,
            FirstChild = -1, Start = start, End = end,
        };
        if (count <= 1 || depth >= MaxDepth)
        {
            _cells[index] = cell;
            return;
        }
        var bounds = PartitionIntoQuadrants(start, end, centreX, centreY, scratch);
        cell.FirstChild = _cellCount;
        _cells[index] = cell;
        _cellCount += 4;
        if (_cellCount > _cells.Length) Array.Resize(ref _cells, 2 * _cellCount);
        var quarter = half / 2;
        for (var c = 0; c < 4; c++)
        {
            var childX = centreX + ((c & 1) == 0 ? -quarter : quarter);
            var childY = centreY + ((c & 2) == 0 ? -quarter : quarter);
            Build(cell.FirstChild + c, bounds[c], bounds[c + 1], childX, childY, quarter, depth + 1, scratch);
        }
    }

    /// <summary>Reorders _order[start..end) by quadrant (bit 0: right half, bit 1: upper half); returns the 5 bounds.</summary>
    private int[] PartitionIntoQuadrants(int start, int end, double centreX, double centreY, int[] scratch)
    {
        var bounds = new int[5];
        for (var k = start; k < end; k++) bounds[Quadrant(_order[k], centreX, centreY) + 1]++;
        bounds[0] = start;
        for (var c = 0; c < 4; c++) bounds[c + 1] += bounds[c];
        var next = bounds.Take(4).ToArray();
        for (var k = start; k < end; k++) scratch[next[Quadrant(_order[k], centreX, centreY)]++] = _order[k];
        Array.Copy(scratch, start, _order, start, end - start);
        return bounds;
    }

    private int Quadrant(int point, double centreX, double centreY) =>
        (_x[point] >= centreX ? 1 : 0) | (_y[point] >= centreY ? 2 : 0);
}
