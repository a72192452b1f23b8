using Medvis.Core.Evaluation;

namespace Medvis.Core.Tests.Evaluation;

/// <summary>
/// kNN on scikit-learn's seeded split, over the splits of seeds 0..9, leave-one-out, and the silhouette, against
/// scikit-learn on the maps of ReferenceData/maps, directly (the command line's use is tested in Medvis.Cli.Tests).
/// </summary>
public sealed class ScikitLearnKnnTests : IDisposable
{
    private const double KnnTolerance = 1e-12;
    private const double SilhouetteTolerance = 1e-6;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("medvis-sklearn-knn-");

    public void Dispose() => _folder.Delete(recursive: true);

    public static TheoryData<string> Maps() => ScikitLearnReference.Cases("maps");

    [Fact]
    public void TheReferenceHoldsSmallAndSeventeenThousandPointMaps()
    {
        var names = ScikitLearnReference.CaseNames("maps");
        Assert.True(names.Length >= 5, $"{names.Length} maps");
        Assert.Equal(17_000, ReferenceMap.Load("blood_cells_17000").Labels.Length);
    }

    [Theory]
    [MemberData(nameof(Maps))]
    public void KnnOnTheSeededSplitEqualsScikitLearn(string name)
    {
        var map = ReferenceMap.Load(name);
        var result = KnnEvaluation.Evaluate(map.Points, map.Labels, map.K, map.TestSize, seed: 0);
        Assert.Equal(map.KnnAccuracy, result.Accuracy, KnnTolerance);
    }

    [Theory]
    [MemberData(nameof(Maps))]
    public void RepeatedSplitsEqualScikitLearnSeedBySeed(string name)
    {
        var map = ReferenceMap.Load(name);
        var result = KnnEvaluation.RepeatedSplits(map.Points, map.Labels, map.RepeatedSeeds, map.K, map.TestSize);
        Assert.Equal(map.RepeatedSeeds, result.Seeds);
        Assert.Equal(map.RepeatedAccuracies.Length, result.Accuracies.Length);
        for (var s = 0; s < result.Accuracies.Length; s++)
            Assert.Equal(map.RepeatedAccuracies[s], result.Accuracies[s], KnnTolerance);
        Assert.Equal(map.RepeatedMean, result.Mean, KnnTolerance);
        Assert.Equal(map.RepeatedStd, result.StandardDeviation, KnnTolerance);
    }

    [Theory]
    [MemberData(nameof(Maps))]
    public void LeaveOneOutEqualsCrossValScoreWithLeaveOneOut(string name)
    {
        var map = ReferenceMap.Load(name);
        var result = KnnEvaluation.LeaveOneOut(map.Points, map.Labels, map.K);
        Assert.Equal(map.LeaveOneOutAccuracy, result.Accuracy, KnnTolerance);
        Assert.Equal(map.Labels.Length - 1, result.TrainCount);
    }

    [Theory]
    [MemberData(nameof(Maps))]
    public void SampledSilhouetteScoresTheSamePointsAsSilhouetteScoreWithRandomState(string name)
    {
        var map = ReferenceMap.Load(name);
        var options = new SilhouetteOptions(MaxExactPoints: map.SilhouetteSampleSize, SampleSize: map.SilhouetteSampleSize, Seed: 0);

        var result = Silhouette.Compute(map.Points, map.Labels, options);

        Assert.True(result.Sampled);
        Assert.Equal(map.SilhouetteSampled, result.Overall, SilhouetteTolerance);
    }

    [Fact]
    public void LeaveOneOutPerClassRecallAveragesToTheAccuracy()
    {
        var map = ReferenceMap.Load("imbalanced_6");
        var report = MapEvaluator.Evaluate(map.Points, map.Labels, Enumerable.Range(0, 6).Select(c => $"c{c}").ToArray());

        var correct = report.Classes.Sum(row => row.KnnLeaveOneOutRecall!.Value * row.Count);
        Assert.Equal(map.LeaveOneOutAccuracy, correct / map.Labels.Length, 1e-12);
    }
}
