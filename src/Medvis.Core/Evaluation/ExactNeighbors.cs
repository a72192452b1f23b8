using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Evaluation;

/// <summary>The k nearest reference points of each query, nearest first, with squared Euclidean distances.</summary>
internal sealed record NeighborLists(int[][] Indices, double[][] SquaredDistances);

/// <summary>
/// Exact (brute-force) Euclidean k-nearest-neighbour search. Low-dimensional points (maps) are scanned in
/// plain C# with double-precision differences, in parallel over queries (2-D maps of many points through a grid,
/// smaller or higher-dimensional ones through a slab); higher dimensions use chunked float64 matrix products and
/// top-k in TorchSharp. Among equal distances the lower reference position wins, whichever way is taken.
/// </summary>
internal static class ExactNeighbors
{
    /// <summary>Up to this many dimensions the direct scan beats the matrix-product route.</summary>
    public const int DirectScanMaxDimensions = 4;

    /// <summary>From this many reference points on, 2-D points are searched through a grid instead of a slab.</summary>
    public const int GridMinPoints = 20_000;

    /// <summary>Reference points per grid cell the grid search aims at.</summary>
    private const int GridTargetPerCell = 8;

    /// <summary>Budget of float64 distance entries per tensor chunk (64 MB).</summary>
    private const long ChunkEntries = 8_000_000;

    /// <summary>
    /// Neighbours of <paramref name="queries"/> among <paramref name="reference"/> (both are row indices of
    /// <paramref name="points"/>; returned indices are row indices too). With <paramref name="excludeSelf"/>
    /// a query never counts as its own neighbour.
    /// </summary>
    public static NeighborLists Find(float[,] points, int[] reference, int[] queries, int k, bool excludeSelf = false)
    {
        var available = reference.Length - (excludeSelf ? 1 : 0);
        if (k < 1 || k > available)
            throw new ArgumentException($"k = {k} neighbours requested but only {available} reference points are available.");
        var dimensions = points.GetLength(1);
        // The grid leaves each query's own point out as it scans, which equals asking for one more and dropping it.
        if (dimensions == 2 && reference.Length >= GridMinPoints) return GridScan(points, reference, queries, k, excludeSelf);
        var wanted = excludeSelf ? k + 1 : k;
        var raw = dimensions <= DirectScanMaxDimensions ? DirectScan(points, reference, queries, wanted)
            : TensorScan(points, reference, queries, wanted);
        return excludeSelf ? DropSelf(raw, queries, k) : raw;
    }

    /// <summary>
    /// Slab search: reference points sorted by their first coordinate are visited outwards from the query's
    /// position, and each side stops once the first-coordinate gap alone exceeds the current k-th distance.
    /// Exact, and for maps it touches only a thin slab of points instead of all of them.
    /// </summary>
    private static NeighborLists DirectScan(float[,] points, int[] reference, int[] queries, int k)
    {
        var sorted = Enumerable.Range(0, reference.Length).OrderBy(r => points[reference[r], 0]).ThenBy(r => r).ToArray();
        var columns = PointMatrix.Columns(points, sorted.Select(r => reference[r]).ToArray());
        var d = columns.Length;
        var first = columns[0];
        var indices = new int[queries.Length][];
        var distances = new double[queries.Length][];
        Parallel.ForEach(Partitioner.Create(0, queries.Length, 256), range =>
        {
            var query = new double[d];
            for (var q = range.Item1; q < range.Item2; q++)
            {
                for (var j = 0; j < d; j++) query[j] = points[queries[q], j];
                var best = new BoundedNearest(k);
                var right = LowerBound(first, query[0]);
                var left = right - 1;
                while (left >= 0 || right < first.Length)
                {
                    if (right < first.Length && !best.CannotContain(Square(first[right] - query[0])))
                        best.Offer(SquaredDistance(columns, right, query), sorted[right++]);
                    else right = first.Length;
                    if (left >= 0 && !best.CannotContain(Square(query[0] - first[left])))
                        best.Offer(SquaredDistance(columns, left, query), sorted[left--]);
                    else left = -1;
                }
                (indices[q], distances[q]) = best.Sorted(reference);
            }
        });
        return new NeighborLists(indices, distances);
    }

    /// <summary>
    /// Grid search for 2-D points: reference points bucketed in a uniform grid of about
    /// <see cref="GridTargetPerCell"/> per cell; each query scans rings of cells around its own and stops once
    /// everything outside the rings scanned is farther than its k-th neighbour. On a map of a million points a query
    /// touches a few hundred points where the slab touches thousands. Same distances and tie rule as
    /// <see cref="DirectScan"/>, so the same neighbours.
    /// </summary>
    internal static NeighborLists GridScan(float[,] points, int[] reference, int[] queries, int k, bool excludeSelf = false)
    {
        var n = reference.Length;
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var r in reference)
        {
            double x = points[r, 0], y = points[r, 1];
            minX = Math.Min(minX, x); maxX = Math.Max(maxX, x);
            minY = Math.Min(minY, y); maxY = Math.Max(maxY, y);
        }
        var width = Math.Max(maxX - minX, 1e-9);
        var height = Math.Max(maxY - minY, 1e-9);
        var cells = Math.Max(1.0, (double)n / GridTargetPerCell);
        var columns = (int)Math.Clamp(Math.Ceiling(Math.Sqrt(cells * width / height)), 1, 4096);
        var rows = (int)Math.Clamp(Math.Ceiling(cells / columns), 1, 4096);
        var cellWidth = width / columns * (1 + 1e-9);
        var cellHeight = height / rows * (1 + 1e-9);
        int ColumnOf(double x) => (int)Math.Clamp(Math.Floor((x - minX) / cellWidth), 0, columns - 1);
        int RowOf(double y) => (int)Math.Clamp(Math.Floor((y - minY) / cellHeight), 0, rows - 1);

        // Counting sort of the reference positions by cell; coordinates copied in that order for sequential scans.
        var cellOf = new int[n];
        var cellStart = new int[columns * rows + 1];
        for (var p = 0; p < n; p++)
        {
            cellOf[p] = RowOf(points[reference[p], 1]) * columns + ColumnOf(points[reference[p], 0]);
            cellStart[cellOf[p] + 1]++;
        }
        for (var c = 0; c < columns * rows; c++) cellStart[c + 1] += cellStart[c];
        var next = cellStart[..^1];
        var order = new int[n];
        var xs = new double[n];
        var ys = new double[n];
        for (var p = 0; p < n; p++)
        {
            var at = next[cellOf[p]]++;
            order[at] = p;
            xs[at] = points[reference[p], 0];
            ys[at] = points[reference[p], 1];
        }

        var indices = new int[queries.Length][];
        var distances = new double[queries.Length][];
        // Queries taken cell by cell: neighbouring queries read the same cells, which then stay in the CPU's cache.
        var byCell = Enumerable.Range(0, queries.Length).ToArray();
        var queryCells = queries.Select(r => RowOf(points[r, 1]) * columns + ColumnOf(points[r, 0])).ToArray();
        Array.Sort(queryCells, byCell);
        Parallel.ForEach(Partitioner.Create(0, queries.Length, 1024), range =>
        {
            for (var taken = range.Item1; taken < range.Item2; taken++)
            {
                var q = byCell[taken];
                var self = excludeSelf ? queries[q] : -1;
                double qx = points[queries[q], 0], qy = points[queries[q], 1];
                int centerColumn = ColumnOf(qx), centerRow = RowOf(qy);
                var best = new BoundedNearest(k);
                for (var ring = 0; ; ring++)
                {
                    int left = centerColumn - ring, right = centerColumn + ring, bottom = centerRow - ring, top = centerRow + ring;
                    for (var row = Math.Max(bottom, 0); row <= Math.Min(top, rows - 1); row++)
                    {
                        var onEdge = row == bottom || row == top;
                        // Rows inside the ring contribute only their two border cells.
                        var step = onEdge ? 1 : right - left;
                        for (var column = left; column <= right; column += step)
                        {
                            if (column < 0 || column >= columns) continue;
                            var cell = row * columns + column;
                            for (var at = cellStart[cell]; at < cellStart[cell + 1]; at++)
                            {
                                if (reference[order[at]] == self) continue;
                                double dx = xs[at] - qx, dy = ys[at] - qy;
                                best.Offer(dx * dx + dy * dy, order[at]);
                            }
                        }
                    }
                    if (left <= 0 && bottom <= 0 && right >= columns - 1 && top >= rows - 1) break;
                    // Every point not yet seen lies outside the box of the rings scanned, so no nearer than its border.
                    var outside = Math.Min(Math.Min(qx - (minX + left * cellWidth), minX + (right + 1) * cellWidth - qx),
                        Math.Min(qy - (minY + bottom * cellHeight), minY + (top + 1) * cellHeight - qy));
                    if (best.CannotContain(Square(Math.Max(0, outside)))) break;
                }
                (indices[q], distances[q]) = best.Sorted(reference);
            }
        });
        return new NeighborLists(indices, distances);
    }

    private static double Square(double value) => value * value;

    private static double SquaredDistance(double[][] columns, int row, double[] query)
    {
        double sum = 0;
        for (var j = 0; j < columns.Length; j++)
        {
            var diff = columns[j][row] - query[j];
            sum += diff * diff;
        }
        return sum;
    }

    /// <summary>First position whose value is ≥ <paramref name="value"/> in an ascending array.</summary>
    private static int LowerBound(double[] ascending, double value)
    {
        int low = 0, high = ascending.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (ascending[mid] < value) low = mid + 1; else high = mid;
        }
        return low;
    }

    private static NeighborLists TensorScan(float[,] points, int[] reference, int[] queries, int k)
    {
        var indices = new int[queries.Length][];
        var distances = new double[queries.Length][];
        var d = points.GetLength(1);
        using var referenceScope = NewDisposeScope();
        var referenceRows = tensor(PointMatrix.RowMajor(points, reference), new long[] { reference.Length, d }, float64);
        var referenceNorms = referenceRows.mul(referenceRows).sum(1).unsqueeze(0);
        // Explicit Scalars that outlive the calls: TorchSharp 0.107 lets implicitly converted ones be finalized mid-call.
        using var zero = 0.0.ToScalar();
        using var one = 1.0.ToScalar();
        var chunk = (int)Math.Max(1, Math.Min(queries.Length, ChunkEntries / reference.Length));
        for (var start = 0; start < queries.Length; start += chunk)
        {
            using var chunkScope = NewDisposeScope();
            var rows = queries.AsSpan(start, Math.Min(chunk, queries.Length - start)).ToArray();
            var queryRows = tensor(PointMatrix.RowMajor(points, rows), new long[] { rows.Length, d }, float64);
            // ‖r‖² − 2 q·r ranks references like the squared distance (‖q‖² is constant along a row) in one fused
            // product; ‖q‖² is added to the k survivors only.
            var partial = addmm(referenceNorms, queryRows, referenceRows.t(), beta: 1, alpha: -2);
            var (ranked, positions) = partial.topk(k, dim: 1, largest: false, sorted: true);
            var values = ranked.add(queryRows.mul(queryRows).sum(1, keepdim: true), one).clamp_min_(zero);
            var valueData = values.data<double>().ToArray();
            var positionData = positions.data<long>().ToArray();
            for (var q = 0; q < rows.Length; q++)
            {
                indices[start + q] = new int[k];
                distances[start + q] = new double[k];
                for (var m = 0; m < k; m++)
                {
                    indices[start + q][m] = reference[positionData[q * k + m]];
                    distances[start + q][m] = valueData[q * k + m];
                }
            }
        }
        return new NeighborLists(indices, distances);
    }

    /// <summary>‖q‖² + ‖r‖² − 2 q·r, clamped at 0 (rounding can push it slightly negative).</summary>
    internal static Tensor SquaredDistances(Tensor queryRows, Tensor referenceRows, Tensor referenceNorms)
    {
        // Explicit Scalars that outlive the calls: TorchSharp 0.107 lets implicitly converted ones be finalized mid-call.
        using var zero = 0.0.ToScalar();
        using var one = 1.0.ToScalar();
        var queryNorms = queryRows.mul(queryRows).sum(1).unsqueeze(1);
        return addmm(queryNorms.add(referenceNorms, one), queryRows, referenceRows.t(), beta: 1, alpha: -2).clamp_min(zero);
    }

    private static NeighborLists DropSelf(NeighborLists raw, int[] queries, int k)
    {
        var indices = new int[queries.Length][];
        var distances = new double[queries.Length][];
        for (var q = 0; q < queries.Length; q++)
        {
            // The query itself is usually first; with duplicate points it may sit anywhere, or be crowded out.
            var selfAt = Array.IndexOf(raw.Indices[q], queries[q]);
            var skip = selfAt >= 0 ? selfAt : k;
            indices[q] = raw.Indices[q].Where((_, m) => m != skip).Take(k).ToArray();
            distances[q] = raw.SquaredDistances[q].Where((_, m) => m != skip).Take(k).ToArray();
        }
        return new NeighborLists(indices, distances);
    }

    /// <summary>
    /// The k smallest offers seen so far, ordered by (distance, position) so the result does not depend on the
    /// order of the offers: among equal distances the lower reference position wins.
    /// </summary>
    private sealed class BoundedNearest(int k)
    {
        private readonly double[] _distances = new double[k];
        private readonly int[] _positions = new int[k];
        private int _count;

        /// <summary>True when no point at least this far away can enter any more.</summary>
        public bool CannotContain(double distance) => _count == k && distance > _distances[k - 1];

        public void Offer(double distance, int position)
        {
            if (_count == k && !Before(distance, position, k - 1)) return;
            var slot = _count < k ? _count++ : k - 1;
            while (slot > 0 && Before(distance, position, slot - 1))
            {
                _distances[slot] = _distances[slot - 1];
                _positions[slot] = _positions[slot - 1];
                slot--;
            }
            _distances[slot] = distance;
            _positions[slot] = position;
        }

        private bool Before(double distance, int position, int slot) =>
            distance < _distances[slot] || (distance == _distances[slot] && position < _positions[slot]);

        public (int[] Indices, double[] Distances) Sorted(int[] reference)
        {
            // Plain loops: this runs once per query, a million times for a large map.
            var indices = new int[_count];
            for (var m = 0; m < _count; m++) indices[m] = reference[_positions[m]];
            return (indices, _distances.AsSpan(0, _count).ToArray());
        }
    }
}
