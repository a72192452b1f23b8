using Medvis.Core.Evaluation;

namespace Medvis.Core.Tests.Evaluation;

/// <summary>The stratified split and the RNG under it against scikit-learn 1.2 / NumPy 1.24 (ReferenceData).</summary>
public class ScikitLearnSplitTests
{
    public static TheoryData<string> SplitCases() => ScikitLearnReference.Cases("splits");

    [Fact]
    public void MersenneTwisterGivesNumPysRawOutputsAfterLegacySeeding()
    {
        using var document = ScikitLearnReference.Read("random_state.json");
        var cases = document.RootElement.GetProperty("raw").EnumerateArray().ToArray();
        Assert.Contains(cases, c => c.GetProperty("uint32").GetArrayLength() > 624);
        foreach (var reference in cases)
        {
            var seed = reference.GetProperty("seed").GetUInt32();
            var expected = reference.GetProperty("uint32").EnumerateArray().Select(v => v.GetUInt32()).ToArray();
            var bits = new Mt19937(seed);
            Assert.Equal(expected, expected.Select(_ => bits.NextUInt32()).ToArray());
        }
    }

    [Fact]
    public void PermutationsFollowRandomStatePermutationDrawForDraw()
    {
        using var document = ScikitLearnReference.Read("random_state.json");
        foreach (var reference in document.RootElement.GetProperty("permutations").EnumerateArray())
        {
            var random = new NumPyRandomState(reference.GetProperty("seed").GetInt32());
            var n = reference.GetProperty("n").GetInt32();
            Assert.Equal(reference.GetProperty("first").Ints(), random.Permutation(n));
            Assert.Equal(reference.GetProperty("second").Ints(), random.Permutation(Enumerable.Range(0, n).ToArray()));
        }
    }

    [Fact]
    public void ApproximateModeBreaksTiesAsScikitLearn()
    {
        using var document = ScikitLearnReference.Read("approximate_mode.json");
        var cases = document.RootElement.GetProperty("cases").EnumerateArray().ToArray();
        Assert.True(cases.Length >= 40, $"{cases.Length} cases");
        foreach (var reference in cases)
        {
            var counts = reference.GetProperty("counts").Ints();
            var draws = reference.GetProperty("draws").GetInt32();
            var seed = reference.GetProperty("seed").GetInt32();
            var actual = TrainTestSplit.ApproximateMode(counts, draws, new NumPyRandomState(seed));
            Assert.True(reference.GetProperty("result").Ints().SequenceEqual(actual),
                $"_approximate_mode([{string.Join(",", counts)}], {draws}, rng={seed}) gave [{string.Join(",", actual)}]");
        }
    }

    [Fact]
    public void TheReferenceHoldsTenSplitCasesIncludingSeventeenThousandPoints()
    {
        var names = ScikitLearnReference.CaseNames("splits");
        Assert.True(names.Length >= 10, $"{names.Length} split cases");
        using var large = ScikitLearnReference.Read(Path.Combine("splits", "blood_cells_17000.json"));
        Assert.Equal(17_000, large.RootElement.GetProperty("labels").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(SplitCases))]
    public void StratifiedSplitEqualsTrainTestSplitIndexForIndex(string name)
    {
        using var document = ScikitLearnReference.Read(Path.Combine("splits", name + ".json"));
        var labels = document.RootElement.GetProperty("labels").Ints();
        foreach (var reference in document.RootElement.GetProperty("splits").EnumerateArray())
        {
            var seed = reference.GetProperty("seed").GetInt32();
            var testSize = reference.GetProperty("test_size").GetDouble();

            var split = TrainTestSplit.Stratified(labels, testSize, seed);

            Assert.Equal(reference.GetProperty("train_idx").Ints(), split.TrainIndices);
            Assert.Equal(reference.GetProperty("test_idx").Ints(), split.TestIndices);
        }
    }

    [Fact]
    public void ClassesScikitLearnRefusesStillGetASplit()
    {
        // A class of one member: scikit-learn raises; the same steps still give a valid split.
        var labels = Enumerable.Range(0, 40).Select(i => i == 7 ? 2 : i % 2).ToArray();
        var split = TrainTestSplit.Stratified(labels);
        split.Validate(labels.Length);
        Assert.Equal(4, split.TestIndices.Length);
        Assert.Equal(36, split.TrainIndices.Length);
    }

    [Fact]
    public void NegativeSeedsAreRejectedAsNumPyRejectsThem()
    {
        Assert.Contains("non-negative", Assert.Throws<ArgumentException>(() => TrainTestSplit.Stratified([0, 1, 0, 1, 0, 1], 0.5, -1)).Message);
    }
}
