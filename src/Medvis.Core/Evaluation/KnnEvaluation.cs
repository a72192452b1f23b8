using System.Diagnostics;

namespace Medvis.Core.Evaluation;

/// <summary>What the kNN classifier scored on the test part of a split.</summary>
/// <param name="Accuracy">Share of test points whose predicted class equals their label.</param>
/// <param name="TestIndices">The test points, in the order of <paramref name="Predictions"/>.</param>
/// <param name="Predictions">Predicted class per test point.</param>
/// <param name="PerClassRecall">Recall per class on the test part; NaN for a class with no test points.</param>
/// <param name="TestCountPerClass">Test points per class.</param>
/// <param name="K">Neighbours per vote.</param>
/// <param name="TrainCount">Points the classifier was fitted on.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record KnnResult(
    double Accuracy,
    int K,
    int TrainCount,
    int[] TestIndices,
    int[] Predictions,
    double[] PerClassRecall,
    int[] TestCountPerClass,
    TimeSpan Elapsed);

/// <summary>
/// k-nearest-neighbour classification accuracy, as scikit-learn's <c>KNeighborsClassifier(n_neighbors=15)</c>
/// computes it: Euclidean distance, uniform weights, majority vote, and where votes tie the smallest tied
/// class label wins.
/// </summary>
public static class KnnEvaluation
{
    /// <summary>Neighbours per vote, as in the t-SimCNE papers.</summary>
    public const int DefaultK = 15;

    /// <summary>Seeds of the repeated splits reported with every map: 0 … 9.</summary>
    public static IReadOnlyList<int> DefaultRepeatedSeeds { get; } = Enumerable.Range(0, 10).ToList().AsReadOnly();

    /// <summary>kNN accuracy on a seeded stratified 9:1 split (scikit-learn's, see <see cref="TrainTestSplit.Stratified"/>).</summary>
    public static KnnResult Evaluate(float[,] points, int[] labels, int k = DefaultK,
        double testFraction = TrainTestSplit.DefaultTestFraction, int seed = TrainTestSplit.DefaultSeed)
    {
        PointMatrix.CheckPointsAndLabels(points, labels);
        return Evaluate(points, labels, TrainTestSplit.Stratified(labels, testFraction, seed), k);
    }

    /// <summary>kNN accuracy for an explicit split: fitted on <c>TrainIndices</c>, scored on <c>TestIndices</c>.</summary>
    public static KnnResult Evaluate(float[,] points, int[] labels, TrainTestSplit split, int k = DefaultK)
    {
        PointMatrix.CheckPointsAndLabels(points, labels);
        ArgumentNullException.ThrowIfNull(split);
        split.Validate(labels.Length);
        if (k < 1 || k > split.TrainIndices.Length)
            throw new ArgumentException($"k = {k} must lie between 1 and the {split.TrainIndices.Length} training points.");

        var watch = Stopwatch.StartNew();
        var neighbours = ExactNeighbors.Find(points, split.TrainIndices, split.TestIndices, k);
        var classCount = PointMatrix.ClassCount(labels);
        var predictions = neighbours.Indices.Select(found => MajorityVote(found, labels, classCount)).ToArray();
        var (accuracy, recall, testCounts) = ClassificationScore.Compute(split.TestIndices, predictions, labels, classCount);
        return new KnnResult(accuracy, k, split.TrainIndices.Length, split.TestIndices, predictions, recall, testCounts, watch.Elapsed);
    }

    /// <summary>
    /// kNN accuracy on the stratified split of each seed (<see cref="TrainTestSplit.Stratified"/>), with the mean
    /// and the population standard deviation (NumPy's <c>np.std</c>) over the seeds. k shrinks to the number of
    /// training points where there are fewer. With <paramref name="how"/> the split of each seed is that one's
    /// (grouped, say) instead of the stratified one.
    /// </summary>
    public static RepeatedKnnAccuracy RepeatedSplits(float[,] points, int[] labels, IReadOnlyList<int> seeds, int k = DefaultK,
        double testFraction = TrainTestSplit.DefaultTestFraction, EvaluationSplit? how = null)
    {
        how ??= EvaluationSplit.Stratified;
        PointMatrix.CheckPointsAndLabels(points, labels);
        ArgumentNullException.ThrowIfNull(seeds);
        if (seeds.Count == 0) throw new ArgumentException("Repeated splits need at least one seed.");
        var accuracies = seeds.Select(seed =>
        {
            var split = how.Split(labels, testFraction, seed);
            return Evaluate(points, labels, split, Math.Min(k, split.TrainIndices.Length)).Accuracy;
        }).ToArray();
        var mean = accuracies.Average();
        var deviation = Math.Sqrt(accuracies.Select(a => (a - mean) * (a - mean)).Average());
        return new RepeatedKnnAccuracy(seeds.ToArray(), accuracies, mean, deviation);
    }

    /// <summary>
    /// Split-free leave-one-out kNN: every point is classified by the vote of its k nearest other points, as
    /// <c>cross_val_score(KNeighborsClassifier(k), X, y, cv=LeaveOneOut())</c> refits without it. Equal votes
    /// go to the smallest label; k shrinks to N − 1 where there are fewer other points. The result lists all
    /// points as test points, and <see cref="KnnResult.TrainCount"/> is N − 1.
    /// With <paramref name="groups"/> a point's whole group is left out (leave-one-group-out): its votes come from
    /// the k nearest points of other groups.
    /// </summary>
    public static KnnResult LeaveOneOut(float[,] points, int[] labels, int k = DefaultK, int[]? groups = null)
    {
        PointMatrix.CheckPointsAndLabels(points, labels);
        if (labels.Length < 2) throw new ArgumentException("Leave-one-out kNN needs at least two points.");
        if (groups is not null && groups.Length != labels.Length) throw new ArgumentException($"{groups.Length} group ids for {labels.Length} points.");
        var watch = Stopwatch.StartNew();
        var everyPoint = Enumerable.Range(0, labels.Length).ToArray();
        var used = Math.Min(k, labels.Length - 1);
        // A point's own group can fill its nearest places: ask for as many more as the largest group has other members.
        var extra = groups is null ? 0 : groups.GroupBy(g => g).Max(g => g.Count()) - 1;
        var neighbours = ExactNeighbors.Find(points, everyPoint, everyPoint, Math.Min(used + extra, labels.Length - 1), excludeSelf: true);
        var votes = groups is null ? neighbours.Indices
            : neighbours.Indices.Select((found, q) => found.Where(n => groups[n] != groups[q]).Take(used).ToArray()).ToArray();
        if (votes.Any(v => v.Length == 0)) throw new ArgumentException("Leave-one-group-out kNN needs at least two groups.");
        var classCount = PointMatrix.ClassCount(labels);
        var predictions = votes.Select(found => MajorityVote(found, labels, classCount)).ToArray();
        var (accuracy, recall, counts) = ClassificationScore.Compute(everyPoint, predictions, labels, classCount);
        return new KnnResult(accuracy, used, labels.Length - 1, everyPoint, predictions, recall, counts, watch.Elapsed);
    }

    /// <summary>Most frequent label among the neighbours; the smallest label among equally frequent ones.</summary>
    internal static int MajorityVote(int[] neighbours, int[] labels, int classCount)
    {
        Span<int> votes = classCount <= 256 ? stackalloc int[classCount] : new int[classCount];
        foreach (var neighbour in neighbours) votes[labels[neighbour]]++;
        var winner = 0;
        for (var c = 1; c < classCount; c++)
            if (votes[c] > votes[winner]) winner = c;
        return winner;
    }
}
