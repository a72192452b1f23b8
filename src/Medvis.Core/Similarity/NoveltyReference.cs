using Medvis.Core.Evaluation;

namespace Medvis.Core.Similarity;

/// <summary>
/// Judges whether new images are unlike a map's training images, in the backbone's feature space. The features are
/// scaled to unit length and a new image's distance to its k-th nearest training image is set against the same
/// distance of training images to theirs (themselves left out): an image farther out than all but
/// <c>1 − quantile</c> of the training images is flagged (deep nearest-neighbour out-of-distribution detection,
/// Sun et al., ICML 2022). The map itself cannot say this: its parametric embedding puts any image somewhere among the
/// classes, and the class vote of its neighbours reads 100% for a photo of something else entirely.
/// </summary>
public sealed class NoveltyReference
{
    /// <summary>The neighbour whose distance is judged: the k of the class vote, so both speak of the same neighbours.</summary>
    public const int DefaultK = NeighbourSearch.DefaultK;

    /// <summary>Training images further out than this share are already unusual; a new image beyond it is flagged.</summary>
    public const double DefaultQuantile = 0.99;

    /// <summary>Training images whose distances make the reference (all of them when fewer): enough for a stable 99th percentile.</summary>
    public const int DefaultSample = 4000;

    private readonly float[,] _training;
    private readonly double[] _trainingDistances; // ascending

    private readonly bool _unitLength;

    private NoveltyReference(float[,] training, double[] trainingDistances, int k, double threshold, bool unitLength)
    {
        _unitLength = unitLength;
        _training = training;
        _trainingDistances = trainingDistances;
        K = k;
        Threshold = threshold;
    }

    /// <summary>The neighbour rank whose distance is judged.</summary>
    public int K { get; }

    /// <summary>Distances above this are flagged.</summary>
    public double Threshold { get; }

    /// <summary>Training images the reference was built from.</summary>
    public int TrainingCount => _training.GetLength(0);

    /// <summary>Builds the reference from the training images' backbone features (one row per image).</summary>
    /// <param name="trainingFeatures">Backbone features of the training images.</param>
    /// <param name="k">The neighbour rank judged.</param>
    /// <param name="quantile">The share of training distances below the threshold, in (0, 1).</param>
    /// <param name="sample">At most this many training images are measured against all others (a seeded sample).</param>
    /// <param name="seed">The sample's seed.</param>
    /// <param name="unitLength">Scale every row to unit length first (backbone features, whose length carries little); false keeps plain Euclidean distances (pixels).</param>
    /// <exception cref="ArgumentException">Too few training images for k, or a quantile outside (0, 1).</exception>
    public static NoveltyReference Build(float[,] trainingFeatures, int k = DefaultK, double quantile = DefaultQuantile, int sample = DefaultSample, int seed = 0,
        bool unitLength = true)
    {
        var count = trainingFeatures.GetLength(0);
        if (k < 1 || count <= k) throw new ArgumentException($"judging novelty by the {k}th neighbour needs more than {k} training images; there are {count}.");
        if (quantile is <= 0 or >= 1 || double.IsNaN(quantile)) throw new ArgumentException($"the quantile {quantile} must lie between 0 and 1.");
        var training = unitLength ? UnitRows(trainingFeatures) : trainingFeatures;
        var measured = Enumerable.Range(0, count).ToArray();
        if (count > sample)
        {
            new Random(seed).Shuffle(measured);
            measured = measured.Take(sample).Order().ToArray();
        }
        var found = ExactNeighbors.Find(training, Enumerable.Range(0, count).ToArray(), measured, k, excludeSelf: true);
        var distances = found.SquaredDistances.Select(d => Math.Sqrt(d[k - 1])).Order().ToArray();
        return new NoveltyReference(training, distances, k, Quantile(distances, quantile), unitLength);
    }

    /// <summary>Judges new images by their backbone features (one row per image, of the training features' dimension).</summary>
    /// <exception cref="ArgumentException">The dimensions differ.</exception>
    public Novelty[] Judge(float[,] features)
    {
        var queries = _unitLength ? UnitRows(features) : features;
        var neighbours = NeighbourSearch.Nearest(_training, queries, K);
        return neighbours.Select(list =>
        {
            var distance = list[^1].Distance;
            return new Novelty(distance, ShareBelow(distance), distance > Threshold);
        }).ToArray();
    }

    private double ShareBelow(double distance)
    {
        var index = Array.BinarySearch(_trainingDistances, distance);
        if (index < 0) index = ~index;
        else while (index > 0 && _trainingDistances[index - 1] == distance) index--;
        return (double)index / _trainingDistances.Length;
    }

    /// <summary>The linear-interpolation quantile of ascending values (NumPy's default).</summary>
    internal static double Quantile(double[] ascending, double q)
    {
        var position = q * (ascending.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, ascending.Length - 1);
        return ascending[lower] + (position - lower) * (ascending[upper] - ascending[lower]);
    }

    /// <summary>A copy with every row scaled to unit length (an all-zero row stays zero).</summary>
    private static float[,] UnitRows(float[,] rows)
    {
        int n = rows.GetLength(0), d = rows.GetLength(1);
        var unit = new float[n, d];
        for (var i = 0; i < n; i++)
        {
            double sum = 0;
            for (var j = 0; j < d; j++) sum += (double)rows[i, j] * rows[i, j];
            var scale = sum > 0 ? 1 / Math.Sqrt(sum) : 0;
            for (var j = 0; j < d; j++) unit[i, j] = (float)(rows[i, j] * scale);
        }
        return unit;
    }
}
