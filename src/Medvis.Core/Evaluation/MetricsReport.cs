using System.Text.Json;
using System.Text.Json.Serialization;

namespace Medvis.Core.Evaluation;

/// <summary>Metrics of one class of a map. Undefined values (no test points, no points, not computed) are null.</summary>
/// <param name="Index">Class index (the label).</param>
/// <param name="Name">Class name.</param>
/// <param name="Count">Points of the class.</param>
/// <param name="TestCount">Its points in the test part of the main split.</param>
/// <param name="KnnRecall">kNN recall on those test points.</param>
/// <param name="Silhouette">Mean silhouette of its (scored) points.</param>
/// <param name="KnnLeaveOneOutRecall">Share of its points that leave-one-out kNN classifies correctly.</param>
public sealed record ClassMetrics(int Index, string Name, int Count, int TestCount, double? KnnRecall, double? Silhouette,
    double? KnnLeaveOneOutRecall = null);

/// <summary>Wall-clock seconds spent on each metric, and on making the embedding where the producer reports it.</summary>
public sealed record MetricsTimings(double KnnSeconds, double SilhouetteSeconds, double? EmbeddingSeconds = null,
    double? KnnRepeatedSeconds = null, double? KnnLeaveOneOutSeconds = null);

/// <summary>kNN accuracy on the stratified splits of several seeds.</summary>
/// <param name="Seeds">Split seeds, in the order of <paramref name="Accuracies"/>.</param>
/// <param name="Accuracies">Test accuracy per seed.</param>
/// <param name="Mean">Mean accuracy.</param>
/// <param name="StandardDeviation">Population standard deviation (NumPy's <c>np.std</c>).</param>
public sealed record RepeatedKnnAccuracy(int[] Seeds, double[] Accuracies, double Mean, double StandardDeviation);

/// <summary>The k-fold linear-probe ROC-AUC of an embedding (see <see cref="Evaluation.LinearProbe"/>); undefined values are null.</summary>
/// <param name="Space">What was probed, e.g. "backbone features" or "pixels".</param>
/// <param name="Images">Points probed (a seeded subset when the map has more).</param>
/// <param name="Dimensions">Feature dimensions.</param>
/// <param name="Folds">Stratified folds.</param>
/// <param name="MeanAuc">Mean ROC-AUC over the folds (binary, or macro one-vs-rest).</param>
/// <param name="AucStandardDeviation">Population standard deviation over the folds.</param>
/// <param name="PooledAuc">ROC-AUC of all out-of-fold probabilities at once.</param>
/// <param name="FoldAuc">ROC-AUC per fold.</param>
/// <param name="Seconds">Wall time, features included.</param>
public sealed record LinearProbeScore(string Space, int Images, int Dimensions, int Folds, double? MeanAuc, double? AucStandardDeviation,
    double? PooledAuc, double?[] FoldAuc, double Seconds)
{
    /// <summary>The score of a probe result.</summary>
    public static LinearProbeScore From(string space, int images, LinearProbeResult result, double seconds) => new(space, images, result.Features,
        result.Folds, Defined(result.MeanAuc), Defined(result.StandardDeviation), Defined(result.PooledAuc),
        result.FoldAuc.Select(Defined).ToArray(), seconds);

    internal static double? Defined(double value) => double.IsFinite(value) ? value : null;
}

/// <summary>The held-out R² of crop position from an embedding (see <see cref="PositionalProbe"/>); undefined values are null.</summary>
/// <param name="Space">What was regressed, e.g. "backbone features".</param>
/// <param name="Images">Images cropped.</param>
/// <param name="Crops">Crops embedded.</param>
/// <param name="CropFraction">Crop side as a fraction of the image side.</param>
/// <param name="RSquared">Mean of the two axes' R².</param>
/// <param name="RSquaredX">R² of the crop centre's x.</param>
/// <param name="RSquaredY">R² of its y.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record PositionalScore(string Space, int Images, int Crops, double CropFraction, double? RSquared, double? RSquaredX,
    double? RSquaredY, double Seconds)
{
    /// <summary>The score of a probe result.</summary>
    public static PositionalScore From(string space, int images, double cropFraction, PositionalProbeResult result, double seconds) =>
        new(space, images, result.Crops, cropFraction, LinearProbeScore.Defined(result.RSquared),
            LinearProbeScore.Defined(result.RSquaredX), LinearProbeScore.Defined(result.RSquaredY), seconds);
}

/// <summary>
/// The numbers by which a 2-D map (or any embedding) is judged: kNN accuracy on scikit-learn's stratified split
/// (also over the splits of several seeds, and leave-one-out) and the silhouette score, overall and per class. Written as JSON by <c>medvis train</c>, <c>medvis eval</c>,
/// <c>medvis baseline</c> and shown by the web app.
/// </summary>
/// <param name="Method">What produced the points (e.g. "t-SimCNE", "t-SNE (pixels)"); null when unknown.</param>
/// <param name="Silhouette">Mean silhouette; null when fewer than two classes are present.</param>
/// <param name="SilhouetteSampled">True when the silhouette was computed on a random subset of <paramref name="SilhouettePointCount"/> points.</param>
/// <param name="PointCount">Points in the map.</param>
/// <param name="Dimensions">Coordinates per point (2 for maps).</param>
/// <param name="K">Neighbours in the kNN vote actually used.</param>
/// <param name="SplitSeed">Seed of the stratified split.</param>
/// <param name="TestFraction">Share of points held out for testing.</param>
/// <param name="TrainCount">Points the kNN classifier was fitted on.</param>
/// <param name="TestCount">Points it was scored on.</param>
/// <param name="KnnAccuracy">Share of test points classified correctly.</param>
/// <param name="SilhouettePointCount">Points the silhouette was computed on.</param>
/// <param name="Classes">Per-class numbers, one row per class name.</param>
/// <param name="Timings">Seconds spent.</param>
/// <param name="KnnRepeated">kNN accuracy over the splits of several seeds (mean ± sd); null when not computed.</param>
/// <param name="KnnLeaveOneOut">Split-free leave-one-out kNN accuracy; null when not computed.</param>
/// <param name="LinearProbe">k-fold linear-probe ROC-AUC of the model's backbone features (or of the pixels for a pixel baseline); null when not computed.</param>
/// <param name="Positional">Held-out R² of crop position from the backbone features; null when not computed (no model).</param>
/// <param name="Baseline">The map against the t-SNE of the same images' pixels; null when not computed.</param>
/// <param name="Split">How the kNN splits were made: "stratified random" or "grouped by &lt;column&gt;"; null in reports from before it was recorded.</param>
public sealed record MetricsReport(
    string? Method,
    int PointCount,
    int Dimensions,
    int K,
    int SplitSeed,
    double TestFraction,
    int TrainCount,
    int TestCount,
    double KnnAccuracy,
    double? Silhouette,
    bool SilhouetteSampled,
    int SilhouettePointCount,
    IReadOnlyList<ClassMetrics> Classes,
    MetricsTimings Timings,
    RepeatedKnnAccuracy? KnnRepeated = null,
    double? KnnLeaveOneOut = null,
    LinearProbeScore? LinearProbe = null,
    PositionalScore? Positional = null,
    BaselineComparison? Baseline = null,
    string? Split = null)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Indented camelCase JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads what <see cref="ToJson"/> wrote; throws <see cref="FormatException"/> with a one-line reason otherwise.</summary>
    public static MetricsReport FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<MetricsReport>(json, JsonOptions)
                   ?? throw new FormatException("metrics JSON is empty (null).");
        }
        catch (JsonException error)
        {
            throw new FormatException($"not a metrics report: {error.Message}", error);
        }
    }

    /// <summary>A copy naming what produced the points.</summary>
    public MetricsReport WithMethod(string method) => this with { Method = method };
}
