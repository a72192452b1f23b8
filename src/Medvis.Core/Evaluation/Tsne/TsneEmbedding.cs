using System.Collections.Concurrent;
using System.Diagnostics;

namespace Medvis.Core.Evaluation.Tsne;

/// <summary>
/// Barnes–Hut t-SNE to 2-D, following openTSNE's defaults: PCA to 100 dimensions for wider inputs, exact
/// 3·perplexity nearest neighbours, Gaussian affinities symmetrised to P, PCA initialisation scaled so the
/// first coordinate has standard deviation 1e-4, early exaggeration then the normal phase, gradient descent
/// with momentum and per-coordinate gains. The gradient is written as openTSNE writes it (without the factor
/// 4), which is what its "auto" learning rate max(N / exaggeration, 50) is calibrated for.
/// </summary>
public static class TsneEmbedding
{
    private const double InitialScale = 1e-4;

    /// <summary>Embeds the N×D points in 2-D. Needs at least 4 points.</summary>
    public static TsneResult Run(float[,] points, TsneOptions? options = null,
        IProgress<TsneProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        options ??= TsneOptions.Default;
        options.Validate();
        var n = points.GetLength(0);
        if (n < 4) throw new ArgumentException($"t-SNE needs at least 4 points, got {n}.");
        PointMatrix.CheckFinite(points);

        var watch = Stopwatch.StartNew();
        var input = points.GetLength(1) > options.MaxPcaDimensions
            ? PrincipalComponents.ToFloat(PrincipalComponents.Project(points, options.MaxPcaDimensions))
            : points;
        var perplexity = Math.Min(options.Perplexity, (n - 1) / 3.0);
        var neighbourCount = Math.Min(n - 1, (int)Math.Floor(3 * perplexity));
        var all = Enumerable.Range(0, n).ToArray();
        var neighbours = ExactNeighbors.Find(input, all, all, neighbourCount, excludeSelf: true);
        var affinities = SparseAffinities.FromNeighbours(neighbours, perplexity);
        var (x, y) = ScaledPcaStart(input);
        var preparation = watch.Elapsed;

        watch.Restart();
        new Optimiser(affinities, x, y, options).Run(progress, cancellationToken);
        var embedding = new float[n, 2];
        for (var i = 0; i < n; i++) { embedding[i, 0] = (float)x[i]; embedding[i, 1] = (float)y[i]; }
        return new TsneResult(embedding, input.GetLength(1), perplexity, neighbourCount, preparation, watch.Elapsed);
    }

    /// <summary>The first two principal components, scaled so the first has standard deviation 1e-4.</summary>
    private static (double[] X, double[] Y) ScaledPcaStart(float[,] input)
    {
        var n = input.GetLength(0);
        var scores = input.GetLength(1) >= 2 ? PrincipalComponents.Project(input, 2) : new double[n, 2];
        var x = new double[n];
        var y = new double[n];
        for (var i = 0; i < n; i++) { x[i] = scores[i, 0]; y[i] = scores[i, 1]; }
        var mean = x.Average();
        var std = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / n);
        // Identical inputs give a zero first component: fall back to a tiny deterministic spread.
        if (std == 0)
            for (var i = 0; i < n; i++) { x[i] = i % 2 == 0 ? 1 : -1; y[i] = i % 3 - 1; }
        var factor = InitialScale / (std == 0 ? 1 : std);
        for (var i = 0; i < n; i++) { x[i] *= factor; y[i] *= factor; }
        return (x, y);
    }

    /// <summary>The gradient-descent state of one run: positions, previous update and gains per coordinate.</summary>
    private sealed class Optimiser(SparseAffinities p, double[] x, double[] y, TsneOptions options)
    {
        private readonly int _n = x.Length;
        private readonly double[] _gradX = new double[x.Length];
        private readonly double[] _gradY = new double[x.Length];
        private readonly double[] _updateX = new double[x.Length];
        private readonly double[] _updateY = new double[x.Length];
        private readonly double[] _gainX = Enumerable.Repeat(1.0, x.Length).ToArray();
        private readonly double[] _gainY = Enumerable.Repeat(1.0, x.Length).ToArray();

        public void Run(IProgress<TsneProgress>? progress, CancellationToken cancellationToken)
        {
            var total = options.EarlyExaggerationIterations + options.Iterations;
            for (var iteration = 0; iteration < total; iteration++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var early = iteration < options.EarlyExaggerationIterations;
                var exaggeration = early ? options.EarlyExaggeration : 1;
                var rate = options.LearningRate ?? Math.Max(_n / exaggeration, 50);
                ComputeGradient(exaggeration);
                Step(rate, early ? options.EarlyMomentum : options.Momentum);
                if (progress != null && ((iteration + 1) % 50 == 0 || iteration + 1 == total))
                    progress.Report(new TsneProgress(iteration + 1, total, early));
            }
        }

        /// <summary>∂KL/∂y_i (over 4): exaggeration · Σ p_ij w_ij (y_i − y_j) − Σ w_ij² (y_i − y_j) / Σ w.</summary>
        private void ComputeGradient(double exaggeration)
        {
            var tree = new QuadTree(x, y);
            var partialSums = new ConcurrentBag<(int Start, double Sum)>();
            Parallel.ForEach(Blocks(), range =>
            {
                var stack = new int[QuadTree.StackSize];
                double sumW = 0;
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    var (fx, fy, w) = tree.Repulsion(i, options.Theta, stack);
                    _gradX[i] = -fx;
                    _gradY[i] = -fy;
                    sumW += w;
                }
                partialSums.Add((range.Item1, sumW));
            });
            // Summed in a fixed order so repeated runs give identical embeddings.
            var z = partialSums.OrderBy(s => s.Start).Sum(s => s.Sum);
            Parallel.ForEach(Blocks(), range =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    double ax = 0, ay = 0;
                    for (var e = p.RowStart[i]; e < p.RowStart[i + 1]; e++)
                    {
                        var j = p.Columns[e];
                        double dx = x[i] - x[j], dy = y[i] - y[j];
                        var pull = p.Values[e] / (1 + dx * dx + dy * dy);
                        ax += pull * dx;
                        ay += pull * dy;
                    }
                    _gradX[i] = exaggeration * ax + _gradX[i] / z;
                    _gradY[i] = exaggeration * ay + _gradY[i] / z;
                }
            });
        }

        /// <summary>Point ranges fixed by N alone, so partial sums combine in the same order on every machine.</summary>
        private OrderablePartitioner<Tuple<int, int>> Blocks() =>
            Partitioner.Create(0, _n, Math.Max(64, _n / 64));

        private void Step(double rate, double momentum)
        {
            for (var i = 0; i < _n; i++)
            {
                _gainX[i] = NextGain(_gainX[i], _updateX[i], _gradX[i]);
                _gainY[i] = NextGain(_gainY[i], _updateY[i], _gradY[i]);
                var ux = momentum * _updateX[i] - rate * _gainX[i] * _gradX[i];
                var uy = momentum * _updateY[i] - rate * _gainY[i] * _gradY[i];
                var norm = Math.Sqrt(ux * ux + uy * uy);
                if (norm > options.MaxStepNorm) { ux *= options.MaxStepNorm / norm; uy *= options.MaxStepNorm / norm; }
                _updateX[i] = ux;
                _updateY[i] = uy;
                x[i] += ux;
                y[i] += uy;
            }
        }

        /// <summary>Delta-bar-delta gains as openTSNE: +0.2 when the gradient turned against the last step, else ·0.8 + min gain.</summary>
        private double NextGain(double gain, double update, double gradient) =>
            Math.Sign(update) != Math.Sign(gradient) ? gain + 0.2 : gain * 0.8 + options.MinGain;
    }
}
