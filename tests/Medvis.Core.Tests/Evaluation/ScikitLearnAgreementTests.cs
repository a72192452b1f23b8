using Medvis.Core.Evaluation;

namespace Medvis.Core.Tests.Evaluation;

/// <summary>Every fixture in ../shared/fixtures/metrics must give scikit-learn's numbers.</summary>
public class ScikitLearnAgreementTests
{
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var name in MetricFixture.Names()) data.Add(name);
        if (data.Count == 0) data.Add("(fixtures absent)");
        return data;
    }

    [SkippableFact]
    public void AllSixFixturesAreFound()
    {
        MetricFixtures.Folder();
        Assert.True(MetricFixture.Names().Count() >= 6, "expected the six scikit-learn fixtures");
    }

    [SkippableTheory]
    [MemberData(nameof(Fixtures))]
    public void KnnMatchesKNeighborsClassifierExactly(string name)
    {
        var fixture = MetricFixture.Load(name);
        var result = KnnEvaluation.Evaluate(fixture.Points, fixture.Labels, new TrainTestSplit(fixture.TrainIdx, fixture.TestIdx), fixture.K);

        Assert.Equal(fixture.KnnPredictions, result.Predictions);
        Assert.Equal(fixture.KnnAccuracy, result.Accuracy);
        for (var c = 0; c < result.PerClassRecall.Length; c++)
        {
            if (fixture.KnnPerClassRecall.TryGetValue(c, out var expected)) Assert.Equal(expected, result.PerClassRecall[c]);
            else Assert.True(double.IsNaN(result.PerClassRecall[c]), $"class {c} has no test points, so its recall is undefined");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Fixtures))]
    public void SilhouetteMatchesSilhouetteSamplesTo1e6(string name)
    {
        var fixture = MetricFixture.Load(name);
        var result = Silhouette.Compute(fixture.Points, fixture.Labels);

        Assert.False(result.Sampled);
        Assert.Equal(fixture.SilhouetteScore, result.Overall, 1e-6);
        Assert.Equal(fixture.SilhouetteSamples.Length, result.Samples.Length);
        for (var i = 0; i < result.Samples.Length; i++) Assert.Equal(fixture.SilhouetteSamples[i], result.Samples[i], 1e-6);
        foreach (var (c, expected) in fixture.SilhouettePerClass) Assert.Equal(expected, result.PerClass[c], 1e-6);
    }

    [SkippableTheory]
    [MemberData(nameof(Fixtures))]
    public void SinglePrecisionDistancesForLargeMapsStayWithin1e6(string name)
    {
        var fixture = MetricFixture.Load(name);
        var result = Silhouette.Compute(fixture.Points, fixture.Labels, null, forceSinglePrecision: true);

        Assert.Equal(fixture.SilhouetteScore, result.Overall, 1e-6);
        for (var i = 0; i < result.Samples.Length; i++) Assert.Equal(fixture.SilhouetteSamples[i], result.Samples[i], 1e-6);
    }

    [SkippableTheory]
    [MemberData(nameof(Fixtures))]
    public void TensorRouteAgreesWhenPointsArePaddedWithZeroDimensions(string name)
    {
        // Zero columns leave every distance unchanged but push 2-D fixtures onto the matrix-product route.
        var fixture = MetricFixture.Load(name);
        var padded = PadWithZeros(fixture.Points, ExactNeighbors.DirectScanMaxDimensions + 1);

        var knn = KnnEvaluation.Evaluate(padded, fixture.Labels, new TrainTestSplit(fixture.TrainIdx, fixture.TestIdx), fixture.K);
        var silhouette = Silhouette.Compute(padded, fixture.Labels);

        Assert.Equal(fixture.KnnPredictions, knn.Predictions);
        Assert.Equal(fixture.SilhouetteScore, silhouette.Overall, 1e-6);
        for (var i = 0; i < silhouette.Samples.Length; i++) Assert.Equal(fixture.SilhouetteSamples[i], silhouette.Samples[i], 1e-6);
    }

    private static float[,] PadWithZeros(float[,] points, int minimumDimensions)
    {
        var d = Math.Max(points.GetLength(1), minimumDimensions);
        var padded = new float[points.GetLength(0), d];
        for (var i = 0; i < points.GetLength(0); i++)
            for (var j = 0; j < points.GetLength(1); j++)
                padded[i, j] = points[i, j];
        return padded;
    }
}
