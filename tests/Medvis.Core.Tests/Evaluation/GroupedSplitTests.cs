using Medvis.Core.Data;
using Medvis.Core.Evaluation;

namespace Medvis.Core.Tests.Evaluation;

/// <summary>The evaluation's grouped split: one group's images (photos of one lesion) never score each other.</summary>
public sealed class GroupedSplitTests
{
    /// <summary>Groups of 1–4 points at random; a group's points share one class.</summary>
    private static (int[] Labels, int[] Groups) GroupedPoints(int groups, int seed)
    {
        var random = new Random(seed);
        var labels = new List<int>();
        var ids = new List<int>();
        for (var g = 0; g < groups; g++)
        {
            var label = random.Next(3);
            for (var m = random.Next(1, 5); m > 0; m--) { labels.Add(label); ids.Add(g * 7 + 3); }
        }
        return (labels.ToArray(), ids.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void NoGroupIsEverOnBothSidesOfASplit(int seed)
    {
        var (labels, groups) = GroupedPoints(200, seed);

        foreach (var splitSeed in KnnEvaluation.DefaultRepeatedSeeds)
        {
            var split = TrainTestSplit.Grouped(labels, groups, seed: splitSeed);

            split.Validate(labels.Length);
            Assert.Equal(labels.Length, split.TrainIndices.Length + split.TestIndices.Length);
            Assert.Empty(split.TrainIndices.Select(i => groups[i]).Intersect(split.TestIndices.Select(i => groups[i])));
            Assert.InRange(split.TestIndices.Select(i => groups[i]).Distinct().Count(), 20, 20);
        }
        Assert.Equal(TrainTestSplit.Grouped(labels, groups, seed: 3), TrainTestSplit.Grouped(labels, groups, seed: 3), SplitComparer.Instance);
    }

    [Fact]
    public void NearDuplicatesOfOneGroupNoLongerInflateKnnAccuracy()
    {
        // Each group is four copies of one point, and classes are random across groups: a map of nothing but
        // duplicates. Stratified splits score each copy by its twins (near 100%); grouped ones see only chance.
        var random = new Random(5);
        const int groupCount = 150, copies = 4;
        var coords = new float[groupCount * copies, 2];
        var labels = new int[groupCount * copies];
        var groups = new int[groupCount * copies];
        for (var g = 0; g < groupCount; g++)
        {
            var (x, y, label) = ((float)random.NextDouble() * 100, (float)random.NextDouble() * 100, random.Next(2));
            for (var c = 0; c < copies; c++)
                (coords[g * copies + c, 0], coords[g * copies + c, 1], labels[g * copies + c], groups[g * copies + c]) = (x, y + c * 1e-4f, label, g);
        }
        var names = new[] { "a", "b" };

        // k = 3: a copy's three twins are its nearest points.
        var stratified = MapEvaluator.Evaluate(coords, labels, names, new MapEvaluationOptions(K: 3));
        var grouped = MapEvaluator.Evaluate(coords, labels, names, new MapEvaluationOptions(K: 3, Groups: new ImageGroups("lesion_id", groups)));

        Assert.Equal("stratified random", stratified.Split);
        Assert.Equal("grouped by lesion_id", grouped.Split);
        Assert.True(stratified.KnnRepeated!.Mean > 0.8, $"stratified {stratified.KnnAccuracy}");
        Assert.True(stratified.KnnLeaveOneOut > 0.9, $"stratified leave-one-out {stratified.KnnLeaveOneOut}");
        Assert.InRange(grouped.KnnRepeated!.Mean, 0.3, 0.7);
        Assert.InRange(grouped.KnnLeaveOneOut!.Value, 0.3, 0.7);
    }

    [Fact]
    public void OneGroupOnlyFallsBackToTheStratifiedSplit()
    {
        Assert.Same(EvaluationSplit.Stratified, EvaluationSplit.For(new ImageGroups("lesion_id", [4, 4, 4])));
        Assert.Same(EvaluationSplit.Stratified, EvaluationSplit.For(null));
        Assert.Equal("grouped by lesion_id", EvaluationSplit.For(new ImageGroups("lesion_id", [1, 2])).Describe());
    }

    [Fact]
    public void LeaveOneGroupOutNeverVotesWithTheOwnGroup()
    {
        // Two tight groups of class 0 far from a spread of class 1: with its group left out, every class-0 point's
        // nearest others of another group are the other class-0 group, never its own twins.
        float[,] coords = { { 0, 0 }, { 0, 0.01f }, { 1, 0 }, { 1, 0.01f }, { 50, 50 }, { 60, 60 }, { 70, 70 } };
        int[] labels = [0, 0, 0, 0, 1, 1, 1];
        int[] groups = [0, 0, 1, 1, 2, 3, 4];

        var result = KnnEvaluation.LeaveOneOut(coords, labels, k: 1, groups);

        Assert.Equal([0, 0, 0, 0, 1, 1, 1], result.Predictions);
    }

    private sealed class SplitComparer : IEqualityComparer<TrainTestSplit>
    {
        public static readonly SplitComparer Instance = new();
        public bool Equals(TrainTestSplit? a, TrainTestSplit? b) => a!.TrainIndices.SequenceEqual(b!.TrainIndices) && a.TestIndices.SequenceEqual(b.TestIndices);
        public int GetHashCode(TrainTestSplit split) => split.TestIndices.Length;
    }
}
