using System.Diagnostics;
using Medvis.Core.Data;

namespace Medvis.Core.Evaluation;

/// <summary>Settings of <see cref="MapEvaluator"/>; the defaults are those of the t-SimCNE papers.</summary>
public sealed record MapEvaluationOptions(
    int K = KnnEvaluation.DefaultK,
    double TestFraction = TrainTestSplit.DefaultTestFraction,
    int SplitSeed = TrainTestSplit.DefaultSeed,
    SilhouetteOptions? Silhouette = null,
    IReadOnlyList<int>? RepeatedSeeds = null,
    bool LeaveOneOut = true,
    ImageGroups? Groups = null)
{
    /// <summary>Seeds of the repeated splits: <see cref="KnnEvaluation.DefaultRepeatedSeeds"/> unless given; none skips them.</summary>
    public IReadOnlyList<int> RepeatedSeedsOrDefault => RepeatedSeeds ?? KnnEvaluation.DefaultRepeatedSeeds;

    public static MapEvaluationOptions Default { get; } = new();
}

/// <summary>One call from coordinates and labels to a <see cref="MetricsReport"/>.</summary>
public static class MapEvaluator
{
    /// <summary>
    /// kNN accuracy (scikit-learn's stratified seeded split, or grouped when <see cref="MapEvaluationOptions.Groups"/>
    /// names groups, see <see cref="EvaluationSplit"/>; also mean ± sd over the splits of
    /// <see cref="MapEvaluationOptions.RepeatedSeedsOrDefault"/>, and leave-one-out) and silhouette of the points,
    /// overall and per class. With very few training points k shrinks to their number (the report states the k
    /// used on the main split).
    /// </summary>
    public static MetricsReport Evaluate(float[,] coords, int[] labels, IReadOnlyList<string> classNames,
        MapEvaluationOptions? options = null)
    {
        PointMatrix.CheckPointsAndLabels(coords, labels);
        ArgumentNullException.ThrowIfNull(classNames);
        var outside = labels.FirstOrDefault(l => l >= classNames.Count, -1);
        if (outside >= 0)
            throw new ArgumentException($"Label {outside} has no class name ({classNames.Count} names given).");
        options ??= MapEvaluationOptions.Default;

        var how = EvaluationSplit.For(options.Groups);
        var split = how.Split(labels, options.TestFraction, options.SplitSeed);
        var knn = KnnEvaluation.Evaluate(coords, labels, split, Math.Min(options.K, split.TrainIndices.Length));
        var repeatedWatch = Stopwatch.StartNew();
        var repeated = options.RepeatedSeedsOrDefault.Count == 0 ? null
            : KnnEvaluation.RepeatedSplits(coords, labels, options.RepeatedSeedsOrDefault, options.K, options.TestFraction, how);
        var repeatedSeconds = repeated == null ? (double?)null : repeatedWatch.Elapsed.TotalSeconds;
        var leaveOneOut = options.LeaveOneOut ? KnnEvaluation.LeaveOneOut(coords, labels, options.K, how.Groups?.Ids) : null;
        var silhouette = Silhouette.Compute(coords, labels, options.Silhouette);
        return new MetricsReport(
            Method: null,
            PointCount: labels.Length,
            Dimensions: coords.GetLength(1),
            K: knn.K,
            SplitSeed: options.SplitSeed,
            TestFraction: options.TestFraction,
            TrainCount: knn.TrainCount,
            TestCount: knn.TestIndices.Length,
            KnnAccuracy: knn.Accuracy,
            Silhouette: Defined(silhouette.Overall),
            SilhouetteSampled: silhouette.Sampled,
            SilhouettePointCount: silhouette.PointIndices.Length,
            Classes: ClassRows(labels, classNames, knn, silhouette, leaveOneOut),
            Timings: new MetricsTimings(knn.Elapsed.TotalSeconds, silhouette.Elapsed.TotalSeconds,
                KnnRepeatedSeconds: repeatedSeconds, KnnLeaveOneOutSeconds: leaveOneOut?.Elapsed.TotalSeconds),
            KnnRepeated: repeated,
            KnnLeaveOneOut: leaveOneOut?.Accuracy,
            Split: how.Describe());
    }

    /// <summary>
    /// The metrics of points embedding <paramref name="images"/>, one per image in order: their labels and class
    /// names, and their groups (a label table's group column) for the split, so every host scores such data alike.
    /// </summary>
    public static MetricsReport Evaluate(float[,] points, ImageDataset images, MapEvaluationOptions? options = null) =>
        Evaluate(points, images.Labels, images.ClassNames, (options ?? MapEvaluationOptions.Default) with { Groups = images.Groups });

    private static List<ClassMetrics> ClassRows(int[] labels, IReadOnlyList<string> classNames, KnnResult knn,
        SilhouetteResult silhouette, KnnResult? leaveOneOut)
    {
        var counts = new int[classNames.Count];
        foreach (var label in labels) counts[label]++;
        return Enumerable.Range(0, classNames.Count).Select(c => new ClassMetrics(
            c, classNames[c], counts[c],
            c < knn.TestCountPerClass.Length ? knn.TestCountPerClass[c] : 0,
            c < knn.PerClassRecall.Length ? Defined(knn.PerClassRecall[c]) : null,
            c < silhouette.PerClass.Length ? Defined(silhouette.PerClass[c]) : null,
            leaveOneOut != null && c < leaveOneOut.PerClassRecall.Length ? Defined(leaveOneOut.PerClassRecall[c]) : null)).ToList();
    }

    private static double? Defined(double value) => double.IsNaN(value) ? null : value;
}
