using System.Collections.Concurrent;
using System.Diagnostics;
using System.Numerics;
using static TorchSharp.torch;

namespace Medvis.Core.Evaluation;

/// <summary>When the silhouette is computed on a random subset instead of all points.</summary>
/// <param name="MaxExactPoints">Up to this many points every pairwise distance is used.</param>
/// <param name="SampleSize">Points drawn (uniformly, without replacement) above that size, like scikit-learn's <c>sample_size</c>.</param>
/// <param name="Seed">Seed of the draw, as scikit-learn's <c>random_state</c>: the same seed scores the same points.</param>
public sealed record SilhouetteOptions(int MaxExactPoints = 200_000, int SampleSize = 50_000, int Seed = 0)
{
    /// <summary>Defaults: exact up to 200,000 points, otherwise 50,000 sampled.</summary>
    public static SilhouetteOptions Default { get; } = new();
}

/// <summary>Silhouette values of one labelled point set.</summary>
/// <param name="Overall">Mean of <paramref name="Samples"/> (scikit-learn's <c>silhouette_score</c>); NaN with fewer than two classes present.</param>
/// <param name="PerClass">Mean silhouette of each class's points; NaN for a class with no (sampled) points.</param>
/// <param name="PointIndices">The points scored: all of them in order, or the sampled subset.</param>
/// <param name="Samples">Silhouette of each point in <paramref name="PointIndices"/> (scikit-learn's <c>silhouette_samples</c>).</param>
/// <param name="Sampled">True when only a random subset was scored.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record SilhouetteResult(
    double Overall,
    double[] PerClass,
    int[] PointIndices,
    double[] Samples,
    bool Sampled,
    TimeSpan Elapsed);

/// <summary>
/// Silhouette coefficient exactly as scikit-learn's <c>silhouette_samples</c> (Euclidean): a(i) is the mean
/// distance to the other members of i's class (sum divided by n_c − 1), b(i) the smallest mean distance to
/// another class present, s(i) = (b − a) / max(a, b), and s(i) = 0 in a singleton class or where a = b = 0.
/// Distances are summed per class in double precision: a direct SIMD scan over class-sorted points for maps
/// (≤ 4 dimensions; float32 distances above <see cref="DoublePrecisionMaxPoints"/> points), chunked float64
/// matrix products in TorchSharp for higher dimensions.
/// </summary>
public static class Silhouette
{
    private const long ChunkEntries = 8_000_000;

    /// <summary>Silhouette of all points (or of a seeded sample above <see cref="SilhouetteOptions.MaxExactPoints"/>).</summary>
    public static SilhouetteResult Compute(float[,] points, int[] labels, SilhouetteOptions? options = null) =>
        Compute(points, labels, options, forceSinglePrecision: false);

    /// <summary>Above this many points 2-D distances are computed in float32 (summed in float64).</summary>
    public const int DoublePrecisionMaxPoints = 20_000;

    internal static SilhouetteResult Compute(float[,] points, int[] labels, SilhouetteOptions? options, bool forceSinglePrecision)
    {
        PointMatrix.CheckPointsAndLabels(points, labels);
        options ??= SilhouetteOptions.Default;
        if (options.SampleSize < 2 || options.MaxExactPoints < 2)
            throw new ArgumentException($"Silhouette sample size ({options.SampleSize}) and exact limit ({options.MaxExactPoints}) must be at least 2.");
        var watch = Stopwatch.StartNew();
        var n = labels.Length;
        var sampled = n > options.MaxExactPoints;
        var scored = sampled ? DrawSample(n, options.SampleSize, options.Seed) : Enumerable.Range(0, n).ToArray();
        var classCount = PointMatrix.ClassCount(labels);
        var scoredLabels = scored.Select(i => labels[i]).ToArray();
        var members = new int[classCount];
        foreach (var label in scoredLabels) members[label]++;

        double[] samples;
        if (members.Count(m => m > 0) < 2)
            samples = Enumerable.Repeat(double.NaN, scored.Length).ToArray();
        else
        {
            var sums = points.GetLength(1) <= ExactNeighbors.DirectScanMaxDimensions
                ? DirectClassSums(points, scored, scoredLabels, classCount,
                    forceSinglePrecision || scored.Length > DoublePrecisionMaxPoints)
                : TensorClassSums(points, scored, scoredLabels, classCount);
            samples = Enumerable.Range(0, scored.Length)
                .Select(i => SampleValue(sums[i], scoredLabels[i], members)).ToArray();
        }
        return new SilhouetteResult(samples.Average(), PerClassMeans(samples, scoredLabels, classCount),
            scored, samples, sampled, watch.Elapsed);
    }

    /// <summary>s(i) from the sums of distances of point i to every class.</summary>
    internal static double SampleValue(double[] distanceSums, int ownClass, int[] members)
    {
        if (members[ownClass] == 1) return 0;
        var a = distanceSums[ownClass] / (members[ownClass] - 1);
        var b = double.PositiveInfinity;
        for (var c = 0; c < members.Length; c++)
            if (c != ownClass && members[c] > 0)
                b = Math.Min(b, distanceSums[c] / members[c]);
        var scale = Math.Max(a, b);
        return scale == 0 ? 0 : (b - a) / scale;
    }

    private static double[] PerClassMeans(double[] samples, int[] labels, int classCount)
    {
        var sums = new double[classCount];
        var counts = new int[classCount];
        for (var i = 0; i < samples.Length; i++)
        {
            sums[labels[i]] += samples[i];
            counts[labels[i]]++;
        }
        return Enumerable.Range(0, classCount).Select(c => counts[c] == 0 ? double.NaN : sums[c] / counts[c]).ToArray();
    }

    /// <summary>
    /// The points <c>silhouette_score(..., sample_size=size, random_state=seed)</c> scores:
    /// <c>RandomState(seed).permutation(n)[:size]</c> (sorted here, which changes no value).
    /// </summary>
    private static int[] DrawSample(int n, int size, int seed)
    {
        var sample = new NumPyRandomState(seed).Permutation(n).Take(Math.Min(size, n)).ToArray();
        Array.Sort(sample);
        return sample;
    }

    /// <summary>
    /// Per point, the sum of distances to every class, from a SIMD scan over class-contiguous columns. Up to
    /// <see cref="DoublePrecisionMaxPoints"/> points the distances are computed in float64; above, in float32
    /// (twice the SIMD lanes; each distance carries a relative rounding error of about 1e-7) and still summed
    /// in float64, which keeps silhouettes within about 1e-7 of the float64 result.
    /// </summary>
    private static double[][] DirectClassSums(float[,] points, int[] scored, int[] scoredLabels, int classCount, bool singlePrecision)
    {
        // Sorting by class makes each class one contiguous block, so every sum is a straight vectorised run.
        var byClass = Enumerable.Range(0, scored.Length).OrderBy(i => scoredLabels[i]).ToArray();
        var rows = byClass.Select(i => scored[i]).ToArray();
        var columns = PointMatrix.Columns(points, rows);
        var singleColumns = columns.Select(column => column.Select(v => (float)v).ToArray()).ToArray();
        var blockStart = new int[classCount + 1];
        foreach (var label in scoredLabels) blockStart[label + 1]++;
        for (var c = 0; c < classCount; c++) blockStart[c + 1] += blockStart[c];

        var sums = new double[scored.Length][];
        Parallel.ForEach(Partitioner.Create(0, byClass.Length, 64), range =>
        {
            var query = new double[columns.Length];
            var singleQuery = new float[columns.Length];
            for (var row = range.Item1; row < range.Item2; row++)
            {
                for (var j = 0; j < columns.Length; j++) singleQuery[j] = (float)(query[j] = columns[j][row]);
                var perClass = new double[classCount];
                for (var c = 0; c < classCount; c++)
                    perClass[c] = singlePrecision
                        ? DistanceSum(singleColumns, singleQuery, blockStart[c], blockStart[c + 1])
                        : DistanceSum(columns, query, blockStart[c], blockStart[c + 1]);
                sums[byClass[row]] = perClass;
            }
        });
        return sums;
    }

    /// <summary>Σ over rows [start, end) of the Euclidean distance to <paramref name="query"/>, in float64.</summary>
    private static double DistanceSum(double[][] columns, double[] query, int start, int end)
    {
        var width = Vector<double>.Count;
        var total = Vector<double>.Zero;
        var r = start;
        for (; r + width <= end; r += width)
        {
            var squared = Vector<double>.Zero;
            for (var j = 0; j < columns.Length; j++)
            {
                var diff = new Vector<double>(columns[j], r) - new Vector<double>(query[j]);
                squared += diff * diff;
            }
            total += Vector.SquareRoot(squared);
        }
        var sum = Vector.Sum(total);
        for (; r < end; r++) sum += ScalarDistance(columns, query, r);
        return sum;
    }

    /// <summary>Σ over rows [start, end) of the Euclidean distance to <paramref name="query"/>: float32 distances, float64 sum.</summary>
    private static double DistanceSum(float[][] columns, float[] query, int start, int end)
    {
        var width = Vector<float>.Count;
        var total = Vector<double>.Zero;
        var r = start;
        for (; r + width <= end; r += width)
        {
            var squared = Vector<float>.Zero;
            for (var j = 0; j < columns.Length; j++)
            {
                var diff = new Vector<float>(columns[j], r) - new Vector<float>(query[j]);
                squared += diff * diff;
            }
            Vector.Widen(Vector.SquareRoot(squared), out var low, out var high);
            total += low + high;
        }
        var sum = Vector.Sum(total);
        for (; r < end; r++)
        {
            double squared = 0;
            for (var j = 0; j < columns.Length; j++)
            {
                var diff = (double)columns[j][r] - query[j];
                squared += diff * diff;
            }
            sum += Math.Sqrt(squared);
        }
        return sum;
    }

    private static double ScalarDistance(double[][] columns, double[] query, int row)
    {
        double squared = 0;
        for (var j = 0; j < columns.Length; j++)
        {
            var diff = columns[j][row] - query[j];
            squared += diff * diff;
        }
        return Math.Sqrt(squared);
    }

    /// <summary>Per point, the sum of distances to every class: chunked float64 distances times a one-hot class matrix.</summary>
    private static double[][] TensorClassSums(float[,] points, int[] scored, int[] scoredLabels, int classCount)
    {
        var n = scored.Length;
        var d = points.GetLength(1);
        var sums = new double[n][];
        using var scope = NewDisposeScope();
        var all = tensor(PointMatrix.RowMajor(points, scored), new long[] { n, d }, float64);
        var norms = all.mul(all).sum(1).unsqueeze(0);
        var oneHot = nn.functional.one_hot(tensor(scoredLabels.Select(l => (long)l).ToArray()), classCount).to(float64);
        var chunk = (int)Math.Max(1, Math.Min(n, ChunkEntries / n));
        for (var start = 0; start < n; start += chunk)
        {
            using var chunkScope = NewDisposeScope();
            var length = Math.Min(chunk, n - start);
            var distances = ExactNeighbors.SquaredDistances(all.narrow(0, start, length), all, norms).sqrt_();
            // Rounding leaves tiny non-zero self-distances; the definition needs them exactly 0.
            var rows = tensor(Enumerable.Range(0, length).Select(i => (long)i).ToArray());
            var columns = tensor(Enumerable.Range(start, length).Select(i => (long)i).ToArray());
            distances.index_put_(zeros(1, float64), rows, columns);
            var classSums = distances.matmul(oneHot).data<double>().ToArray();
            for (var i = 0; i < length; i++)
                sums[start + i] = classSums.AsSpan(i * classCount, classCount).ToArray();
        }
        return sums;
    }
}
