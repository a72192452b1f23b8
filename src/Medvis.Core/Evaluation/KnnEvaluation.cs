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

    /// <summary>kNN accuracy on a seeded stratified 9:1 split (see <see cref="TrainTestSplit.Stratified"/>).</summary>
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
