using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Evaluation;

/// <summary>The k nearest reference points of each query, nearest first, with squared Euclidean distances.</summary>
internal sealed record NeighborLists(int[][] Indices, double[][] SquaredDistances);

/// <summary>
/// Exact (brute-force) Euclidean k-nearest-neighbour search. Low-dimensional points (maps) are scanned in
/// plain C# with double-precision differences, in parallel over queries; higher dimensions use chunked
/// float64 matrix products and top-k in TorchSharp. Among equal distances the lower reference position wins.
/// </summary>
internal static class ExactNeighbors
{
    /// <summary>Up to this many dimensions the direct scan beats the matrix-product route.</summary>
    public const int DirectScanMaxDimensions = 4;

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
        var wanted = excludeSelf ? k + 1 : k;
        var raw = points.GetLength(1) <= DirectScanMaxDimensions
            ? DirectScan(points, reference, queries, wanted)
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

        public (int[] Indices, double[] Distances) Sorted(int[] reference) =>
            (_positions.Take(_count).Select(p => reference[p]).ToArray(), _distances.Take(_count).ToArray());
    }
}
