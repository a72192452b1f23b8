using Medvis.Cli.Commands;
using Medvis.Core.Evaluation;

namespace Medvis.Core.Tests.Evaluation;

/// <summary>
/// kNN on scikit-learn's seeded split, over the splits of seeds 0..9, leave-one-out, and the silhouette, against
/// scikit-learn on the maps of ReferenceData/maps, directly and through <c>medvis eval --coords</c>.
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
    public void EvalCommandOnTheCoordsGivesScikitLearnsNumbers(string name)
    {
        var map = ReferenceMap.Load(name);
        var classNames = Enumerable.Range(0, map.Labels.Max() + 1).Select(c => $"class {c}").ToArray();
        var coords = Path.Combine(_folder.FullName, name + ".csv");
        CoordsCsv.Write(coords, new MapCoordinates(Enumerable.Range(0, map.Labels.Length).ToArray(), map.Labels, classNames, map.Points));
        var metrics = Path.Combine(_folder.FullName, name + ".json");

        Assert.Equal(0, EvalCommand.Create().Parse(["--coords", coords, "--out", metrics]).Invoke());

        var report = MetricsReport.FromJson(File.ReadAllText(metrics));
        Assert.Equal(map.KnnAccuracy, report.KnnAccuracy, KnnTolerance);
        Assert.NotNull(report.KnnRepeated);
        Assert.Equal(map.RepeatedSeeds, report.KnnRepeated.Seeds);
        Assert.Equal(map.RepeatedMean, report.KnnRepeated.Mean, KnnTolerance);
        Assert.Equal(map.RepeatedStd, report.KnnRepeated.StandardDeviation, KnnTolerance);
        Assert.NotNull(report.KnnLeaveOneOut);
        Assert.Equal(map.LeaveOneOutAccuracy, report.KnnLeaveOneOut.Value, KnnTolerance);
        Assert.NotNull(report.Silhouette);
        Assert.Equal(map.Silhouette, report.Silhouette.Value, SilhouetteTolerance);
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
    public void EvalSummaryNamesTheMainSplitTheRepeatedSplitsAndLeaveOneOut()
    {
        var map = ReferenceMap.Load("blobs_3");
        var report = MapEvaluator.Evaluate(map.Points, map.Labels, ["a", "b", "c"]);

        var summary = EvalCommand.Summary(report);

        Assert.Contains($"kNN accuracy {map.KnnAccuracy.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)} (seed 0)", summary);
        Assert.Contains($"{map.RepeatedMean.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)} ± ", summary);
        Assert.Contains("over 10 seeded splits", summary);
        Assert.Contains($"leave-one-out {map.LeaveOneOutAccuracy.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)}", summary);
    }

    [Fact]
    public void RepeatedSplitsAndLeaveOneOutCanBeLeftOut()
    {
        var map = ReferenceMap.Load("blobs_3");
        var report = MapEvaluator.Evaluate(map.Points, map.Labels, ["a", "b", "c"],
            new MapEvaluationOptions(RepeatedSeeds: [], LeaveOneOut: false));

        Assert.Null(report.KnnRepeated);
        Assert.Null(report.KnnLeaveOneOut);
        Assert.All(report.Classes, row => Assert.Null(row.KnnLeaveOneOutRecall));
        Assert.DoesNotContain("leave-one-out", EvalCommand.Summary(report));
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
