using Medvis.Core.Evaluation;

namespace Medvis.Core.Tests.Evaluation;

/// <summary>The k-fold linear probe's folds and ROC-AUC against scikit-learn 1.2 (ReferenceData/probe, make_probe_fixtures.py).</summary>
public class ScikitLearnProbeTests
{
    private static string[] Cases(string prefix) =>
        ScikitLearnReference.CaseNames("probe").Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToArray();

    public static TheoryData<string> FoldCases() => new(Cases("folds_"));
    public static TheoryData<string> AucCases() => new(Cases("auc_"));
    public static TheoryData<string> ProbeCases() => new(Cases("probe_"));

    [Theory]
    [MemberData(nameof(FoldCases))]
    public void FoldsAreStratifiedKFoldsWithShuffleIndexForIndex(string name)
    {
        using var document = ScikitLearnReference.Read(Path.Combine("probe", name + ".json"));
        var root = document.RootElement;
        var labels = root.GetProperty("labels").Ints();
        var folds = root.GetProperty("n_splits").GetInt32();
        var seeds = root.GetProperty("seeds").Ints();
        var expected = root.GetProperty("test_folds").EnumerateArray().ToArray();
        for (var s = 0; s < seeds.Length; s++)
        {
            Assert.Equal(expected[s].Ints(), StratifiedKFold.TestFolds(labels, folds, seeds[s]));
            var splits = StratifiedKFold.Splits(labels, folds, seeds[s]);
            Assert.Equal(folds, splits.Count);
            Assert.All(splits, split => Assert.Equal(labels.Length, split.TrainIndices.Length + split.TestIndices.Length));
        }
    }

    [Theory]
    [MemberData(nameof(AucCases))]
    public void RocAucEqualsScikitLearnsTiesAndMacroOneVsRestIncluded(string name)
    {
        using var document = ScikitLearnReference.Read(Path.Combine("probe", name + ".json"));
        var root = document.RootElement;
        var labels = root.GetProperty("labels").Ints();
        var rows = root.GetProperty("scores").EnumerateArray().Select(r => r.Doubles()).ToArray();
        var scores = new double[rows.Length, rows[0].Length];
        for (var i = 0; i < rows.Length; i++)
            for (var j = 0; j < rows[0].Length; j++) scores[i, j] = rows[i][j];
        Assert.Equal(root.GetProperty("auc").GetDouble(), RocAuc.Score(labels, scores), 12);
    }

    [Theory]
    [MemberData(nameof(ProbeCases))]
    public void TenFoldLinearProbeAucMatchesScikitLearnsLogisticRegression(string name)
    {
        using var document = ScikitLearnReference.Read(Path.Combine("probe", name + ".json"));
        var root = document.RootElement;
        var labels = root.GetProperty("labels").Ints();
        var rows = root.GetProperty("features").EnumerateArray().Select(r => r.Doubles()).ToArray();
        var features = new float[rows.Length, rows[0].Length];
        for (var i = 0; i < rows.Length; i++)
            for (var j = 0; j < rows[0].Length; j++) features[i, j] = (float)rows[i][j];
        var result = LinearProbe.Evaluate(features, labels);
        var expectedFolds = root.GetProperty("fold_auc").Doubles();
        Assert.Equal(10, result.FoldAuc.Length);
        Assert.Equal(root.GetProperty("mean_auc").GetDouble(), result.MeanAuc, 0.01);
        for (var f = 0; f < 10; f++) Assert.Equal(expectedFolds[f], result.FoldAuc[f], 0.04);
    }

    [Fact]
    public void BinaryAucIsOneForPerfectScoresHalfForConstantAndZeroForReversed()
    {
        bool[] positive = [false, false, true, true, false, true];
        double[] scores = [0.1, 0.2, 0.8, 0.9, 0.3, 0.7];
        Assert.Equal(1.0, RocAuc.Binary(positive, scores), 12);
        Assert.Equal(0.5, RocAuc.Binary(positive, new double[6]), 12);
        Assert.Equal(0.0, RocAuc.Binary(positive, scores.Select(s => -s).ToArray()), 12);
        Assert.True(double.IsNaN(RocAuc.Binary([true, true], [0.1, 0.2])));
    }

    [Fact]
    public void ProbeOfFeaturesWithoutSignalStaysNearChance()
    {
        var random = new Random(5);
        var labels = Enumerable.Range(0, 200).Select(i => i % 2).ToArray();
        var noise = new float[200, 6];
        for (var i = 0; i < 200; i++)
            for (var j = 0; j < 6; j++) noise[i, j] = (float)random.NextDouble();
        var result = LinearProbe.Evaluate(noise, labels);
        Assert.InRange(result.MeanAuc, 0.35, 0.65);
        Assert.Throws<ArgumentException>(() => LinearProbe.Evaluate(noise, new int[200]));
    }
}
