using Medvis.Core.Similarity;

namespace Medvis.Core.Tests.Similarity;

public sealed class NoveltyReferenceTests
{
    private const int Dimensions = 16;

    /// <summary>Points around <paramref name="centres"/> (chosen in turn), each coordinate plus Gaussian noise of sd <paramref name="noise"/>.</summary>
    private static float[,] Around(double[][] centres, int count, double noise, int seed)
    {
        var random = new Random(seed);
        var points = new float[count, Dimensions];
        for (var i = 0; i < count; i++)
            for (var d = 0; d < Dimensions; d++)
                points[i, d] = (float)(centres[i % centres.Length][d] + noise * Gaussian(random));
        return points;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Three class centres on the first three axes: the training images' directions.</summary>
    private static readonly double[][] TrainingCentres = Enumerable.Range(0, 3)
        .Select(c => Enumerable.Range(0, Dimensions).Select(d => d == c ? 1.0 : 0.0).ToArray()).ToArray();

    [Fact]
    public void NewImagesLikeTheTrainingImagesAreRarelyFlaggedAndImagesFromElsewhereAlwaysAre()
    {
        var reference = NoveltyReference.Build(Around(TrainingCentres, 1500, 0.15, seed: 1));

        var alike = reference.Judge(Around(TrainingCentres, 600, 0.15, seed: 2));
        // The threshold is the training images' 99th percentile, so about 1% of new images from the same source exceed it.
        Assert.InRange(alike.Count(n => n.Unlike), 0, 600 * 4 / 100);
        Assert.InRange(alike.Average(n => n.Percentile), 0.35, 0.65);

        var elsewhere = Enumerable.Range(3, 3).Select(c => Enumerable.Range(0, Dimensions).Select(d => d == c ? 1.0 : 0.0).ToArray()).ToArray();
        var unlike = reference.Judge(Around(elsewhere, 30, 0.15, seed: 3));
        Assert.All(unlike, n =>
        {
            Assert.True(n.Unlike);
            Assert.Equal(1.0, n.Percentile);
            Assert.True(n.Distance > reference.Threshold);
            Assert.StartsWith("unlike the training images: farther from them than 100.0%", n.Describe());
        });
    }

    [Fact]
    public void TheThresholdIsTheQuantileOfEachTrainingImagesDistanceToItsKthNeighbourWithItselfLeftOut()
    {
        var training = Around(TrainingCentres, 90, 0.3, seed: 4);
        var reference = NoveltyReference.Build(training, k: 5, quantile: 0.9);

        var unit = Unit(training);
        var kth = Enumerable.Range(0, 90).Select(i => Enumerable.Range(0, 90).Where(j => j != i)
            .Select(j => Math.Sqrt(Enumerable.Range(0, Dimensions).Sum(d => Math.Pow(unit[i][d] - unit[j][d], 2))))
            .Order().ElementAt(4)).Order().ToArray();
        // NumPy's default quantile: position 0.9 · 89 = 80.1 between the 81st and 82nd smallest.
        var expected = kth[80] + 0.1 * (kth[81] - kth[80]);
        Assert.Equal(expected, reference.Threshold, 5);
        Assert.Equal(5, reference.K);
        Assert.Equal(90, reference.TrainingCount);
    }

    [Fact]
    public void ScaleDoesNotMatterOnlyDirection()
    {
        var training = Around(TrainingCentres, 300, 0.15, seed: 5);
        var reference = NoveltyReference.Build(training);
        var query = Around(TrainingCentres, 10, 0.15, seed: 6);
        var scaled = new float[10, Dimensions];
        for (var i = 0; i < 10; i++) for (var d = 0; d < Dimensions; d++) scaled[i, d] = query[i, d] * 40;

        Assert.Equal(reference.Judge(query).Select(n => n.Distance), reference.Judge(scaled).Select(n => n.Distance), new ToleranceComparer(1e-5));
    }

    [Fact]
    public void TooFewTrainingImagesOrAQuantileOutsideZeroToOneAreRefused()
    {
        var few = Around(TrainingCentres, 15, 0.1, seed: 7);
        Assert.Contains("needs more than 15 training images", Assert.Throws<ArgumentException>(() => NoveltyReference.Build(few)).Message);
        var enough = Around(TrainingCentres, 50, 0.1, seed: 7);
        Assert.Throws<ArgumentException>(() => NoveltyReference.Build(enough, quantile: 1));
        Assert.Throws<ArgumentException>(() => NoveltyReference.Build(enough, quantile: double.NaN));
    }

    private static double[][] Unit(float[,] rows) => Enumerable.Range(0, rows.GetLength(0)).Select(i =>
    {
        var row = Enumerable.Range(0, rows.GetLength(1)).Select(d => (double)rows[i, d]).ToArray();
        var length = Math.Sqrt(row.Sum(v => v * v));
        return row.Select(v => v / length).ToArray();
    }).ToArray();

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(double value) => 0;
    }
}
