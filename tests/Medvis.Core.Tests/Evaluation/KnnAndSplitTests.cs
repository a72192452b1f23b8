using Medvis.Core.Evaluation;

namespace Medvis.Core.Tests.Evaluation;

public class KnnAndSplitTests
{
    [Fact]
    public void StratifiedSplitHoldsOutTenPercentOfEveryClassDeterministically()
    {
        var labels = Enumerable.Range(0, 1000).Select(i => i < 700 ? 0 : i < 950 ? 1 : 2).ToArray();

        var split = TrainTestSplit.Stratified(labels, seed: 42);
        var again = TrainTestSplit.Stratified(labels, seed: 42);
        var other = TrainTestSplit.Stratified(labels, seed: 43);

        Assert.Equal(100, split.TestIndices.Length);
        Assert.Equal(900, split.TrainIndices.Length);
        Assert.Equal(new[] { 70, 25, 5 }, Enumerable.Range(0, 3).Select(c => split.TestIndices.Count(i => labels[i] == c)));
        Assert.Equal(split.TestIndices, again.TestIndices);
        Assert.NotEqual(split.TestIndices, other.TestIndices);
        Assert.Empty(split.TrainIndices.Intersect(split.TestIndices));
    }

    [Fact]
    public void LargestRemaindersGetTheLeftoverSlots()
    {
        Assert.Equal(new[] { 3, 3, 1 }, TrainTestSplit.ApproximateMode(new[] { 5, 5, 1 }, 7, new NumPyRandomState(0)));
        Assert.Equal(new[] { 2, 1 }, TrainTestSplit.ApproximateMode(new[] { 4, 2 }, 3, new NumPyRandomState(0)));
    }

    [Fact]
    public void TiedVotesGoToTheSmallestLabel()
    {
        var labels = new[] { 2, 2, 1, 1, 0 };
        Assert.Equal(1, KnnEvaluation.MajorityVote(new[] { 0, 1, 2, 3 }, labels, 3));
        Assert.Equal(0, KnnEvaluation.MajorityVote(new[] { 0, 2, 4 }, labels, 3));
        Assert.Equal(2, KnnEvaluation.MajorityVote(new[] { 0, 1, 2 }, labels, 3));
    }

    [Fact]
    public void SlabSearchFindsTheSameNeighboursAsTheMatrixRoute()
    {
        var (points, labels) = SyntheticPoints.Blobs(3000, 4, 2, spread: 3.0, seed: 11);
        var padded = new float[3000, 6];
        for (var i = 0; i < 3000; i++) { padded[i, 0] = points[i, 0]; padded[i, 1] = points[i, 1]; }
        var split = TrainTestSplit.Stratified(labels, seed: 5);

        var direct = KnnEvaluation.Evaluate(points, labels, split);
        var matrix = KnnEvaluation.Evaluate(padded, labels, split);

        Assert.Equal(matrix.Predictions, direct.Predictions);
        Assert.InRange(direct.Accuracy, 0.5, 1.0);
    }

    [Fact]
    public void BadInputsAreOneLineErrors()
    {
        var points = new float[20, 2];
        Assert.Contains("19 labels for 20 points", Assert.Throws<ArgumentException>(() => KnnEvaluation.Evaluate(points, new int[19])).Message);
        Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() =>
            KnnEvaluation.Evaluate(points, new int[20], new TrainTestSplit(new[] { 1, 2, 3 }, new[] { 3 }), 2)).Message);
        Assert.Contains("k = 15", Assert.Throws<ArgumentException>(() =>
            KnnEvaluation.Evaluate(points, new int[20], new TrainTestSplit(new[] { 1, 2, 3 }, new[] { 4 }))).Message);
        Assert.Contains("outside", Assert.Throws<ArgumentException>(() =>
            KnnEvaluation.Evaluate(points, new int[20], new TrainTestSplit(new[] { 1, 2, 3 }, new[] { 40 }), 2)).Message);
    }
}
