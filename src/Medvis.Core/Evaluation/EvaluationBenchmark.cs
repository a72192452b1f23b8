using System.Diagnostics;
using Medvis.Core.Evaluation.Tsne;

namespace Medvis.Core.Evaluation;

/// <summary>Seconds spent on map metrics for a synthetic map.</summary>
/// <param name="CpuSeconds">Processor time of the whole process meanwhile (all threads), which unlike wall time does not grow when other work shares the cores.</param>
/// <param name="Points">Points in the synthetic map.</param>
/// <param name="Classes">Classes (Gaussian blobs).</param>
/// <param name="KnnSeconds">kNN accuracy time.</param>
/// <param name="SilhouetteSeconds">Silhouette time.</param>
/// <param name="TotalSeconds">Wall time of the whole evaluation.</param>
/// <param name="KnnAccuracy">kNN accuracy found (a sanity check).</param>
/// <param name="Silhouette">Silhouette found.</param>
public sealed record MapMetricsTiming(int Points, int Classes, double KnnSeconds, double SilhouetteSeconds, double TotalSeconds,
    double CpuSeconds, double KnnAccuracy, double Silhouette);

/// <summary>Seconds spent on a t-SNE run of random points.</summary>
/// <param name="CpuSeconds">Processor time of the whole process meanwhile (all threads).</param>
/// <param name="Points">Points embedded.</param>
/// <param name="Dimensions">Input dimensions.</param>
/// <param name="PreparationSeconds">PCA, neighbours and affinities.</param>
/// <param name="OptimisationSeconds">Gradient descent.</param>
/// <param name="TotalSeconds">Wall time of the whole run.</param>
public sealed record TsneTiming(int Points, int Dimensions, double PreparationSeconds, double OptimisationSeconds, double TotalSeconds,
    double CpuSeconds);

/// <summary>
/// Timings that <c>medvis bench</c> prints: metrics of a 100,000-point 2-D map
/// with 9 classes (target ≤ 30 s on 2 cores) and t-SNE of 12,000 random 784-d points (target ≤ 3 min).
/// </summary>
public static class EvaluationBenchmark
{
    /// <summary>kNN accuracy and exact silhouette of <paramref name="points"/> Gaussian blobs in 2-D.</summary>
    public static MapMetricsTiming MapMetrics(int points = 100_000, int classes = 9, int seed = 4711)
    {
        var (coords, labels) = SyntheticPoints.Blobs(points, classes, 2, spread: 1.5, seed);
        var names = Enumerable.Range(0, classes).Select(c => $"class {c}").ToArray();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var report = MapEvaluator.Evaluate(coords, labels, names);
        return new MapMetricsTiming(points, classes, report.Timings.KnnSeconds, report.Timings.SilhouetteSeconds,
            watch.Elapsed.TotalSeconds, CpuSince(cpu), report.KnnAccuracy, report.Silhouette ?? double.NaN);
    }

    /// <summary>Full default t-SNE (250 + 500 iterations) of uniform random points.</summary>
    public static TsneTiming Tsne(int points = 12_000, int dimensions = 784, int seed = 4711, IProgress<TsneProgress>? progress = null)
    {
        var random = new SplitMix64((ulong)seed);
        var data = new float[points, dimensions];
        for (var i = 0; i < points; i++)
            for (var j = 0; j < dimensions; j++)
                data[i, j] = (float)random.NextDouble();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var result = TsneEmbedding.Run(data, progress: progress);
        return new TsneTiming(points, dimensions, result.PreparationTime.TotalSeconds, result.OptimisationTime.TotalSeconds,
            watch.Elapsed.TotalSeconds, CpuSince(cpu));
    }

    private static double CpuSince(TimeSpan start) => (Process.GetCurrentProcess().TotalProcessorTime - start).TotalSeconds;
}

/// <summary>Seeded synthetic labelled point sets for benchmarks and tests.</summary>
public static class SyntheticPoints
{
    /// <summary>
    /// <paramref name="count"/> points in <paramref name="classes"/> isotropic Gaussian blobs (unit standard
    /// deviation times <paramref name="spread"/>) whose centres sit on a circle of radius 10 in the first two
    /// dimensions; labels cycle through the classes.
    /// </summary>
    public static (float[,] Points, int[] Labels) Blobs(int count, int classes, int dimensions, double spread, int seed)
    {
        if (count < 1 || classes < 1 || dimensions < 2)
            throw new ArgumentException($"Blobs need positive count and classes and at least 2 dimensions ({count}, {classes}, {dimensions}).");
        var random = new SplitMix64((ulong)seed);
        var points = new float[count, dimensions];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            var c = labels[i] = i % classes;
            var angle = 2 * Math.PI * c / classes;
            for (var j = 0; j < dimensions; j++)
            {
                var centre = j == 0 ? 10 * Math.Cos(angle) : j == 1 ? 10 * Math.Sin(angle) : 0;
                points[i, j] = (float)(centre + spread * Gaussian(random));
            }
        }
        return (points, labels);
    }

    private static double Gaussian(SplitMix64 random)
    {
        var u = 1 - random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }
}
