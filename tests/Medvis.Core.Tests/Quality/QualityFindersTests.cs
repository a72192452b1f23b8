using Medvis.Core.Quality;

namespace Medvis.Core.Tests.Quality;

public sealed class QualityFindersTests
{
    private static readonly string[] TwoClasses = ["a", "b"];

    /// <summary>Two well-separated Gaussian blobs of <paramref name="perBlob"/> points each, labelled by blob.</summary>
    private static (float[,] Points, int[] Labels) TwoBlobs(int perBlob, int seed, int dimensions = 2)
    {
        var random = new Random(seed);
        var points = new float[2 * perBlob, dimensions];
        var labels = new int[2 * perBlob];
        for (var i = 0; i < 2 * perBlob; i++)
        {
            labels[i] = i / perBlob;
            for (var j = 0; j < dimensions; j++)
                points[i, j] = (float)(Gaussian(random) + (j == 0 ? 20 * labels[i] : 0));
        }
        return (points, labels);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void ExactAndNearDuplicatesComeFirstAndFormOneGroupEach()
    {
        var (points, labels) = TwoBlobs(300, seed: 1);
        // Rows 10 and 400 get copies: 11 and 12 identical pixels of 10, 401 a point 1e-4 away from 400.
        foreach (var copy in new[] { 11, 12 }) { points[copy, 0] = points[10, 0]; points[copy, 1] = points[10, 1]; }
        points[401, 0] = points[400, 0] + 1e-4f; points[401, 1] = points[400, 1];
        labels[11] = labels[12] = labels[10];
        labels[401] = labels[400];
        var hashes = Enumerable.Range(0, 600).Select(i => (ulong)i).ToArray();
        hashes[11] = hashes[12] = hashes[10];

        var report = QualityAnalysis.Run(new QualityInput(points, labels, TwoClasses, PixelHashes: hashes), new QualityOptions(Top: 5));

        Assert.Equal([10, 11, 12], report.NearDuplicates.Take(3).Select(i => i.Point).Order());
        Assert.All(report.NearDuplicates.Take(3), item => Assert.Equal(1.0, item.Score));
        Assert.All(report.NearDuplicates.Take(3), item => Assert.Equal(10, item.Group));
        Assert.Contains("identical pixels to 2 other images", report.NearDuplicates[0].Reason);
        // Each is shown beside its partner: another of the identical three, or the other of the near pair.
        Assert.All(report.NearDuplicates.Take(3), item => Assert.Contains(item.Partner!.Value, new[] { 10, 11, 12 }.Where(p => p != item.Point)));
        Assert.All(report.NearDuplicates.Skip(3).Take(2), item => Assert.Equal(item.Point == 400 ? 401 : 400, item.Partner));
        Assert.Equal([400, 401], report.NearDuplicates.Skip(3).Take(2).Select(i => i.Point).Order());
        Assert.All(report.NearDuplicates.Skip(3), item => Assert.Equal(400, item.Group));
        Assert.All(report.NearDuplicates.Skip(3), item => Assert.True(item.Score > 0.99, item.Reason));
    }

    [Fact]
    public void PointsFarFromEveryoneLeadTheOutliers()
    {
        var (points, labels) = TwoBlobs(300, seed: 2);
        int[] far = [5, 77, 350, 599];
        foreach (var (row, at) in far.Select((row, at) => (row, at))) { points[row, 0] = 10; points[row, 1] = 15 + 6 * at; }

        var report = QualityAnalysis.Run(new QualityInput(points, labels, TwoClasses), new QualityOptions(Top: 10));

        Assert.Equal(far, report.Outliers.Take(far.Length).Select(i => i.Point).Order());
        Assert.True(report.Outliers[far.Length - 1].Score > 2 * report.Outliers[far.Length].Score,
            $"the injected outliers should stand well apart: {report.Outliers[far.Length - 1].Score} vs {report.Outliers[far.Length].Score}");
    }

    [Fact]
    public void APointFarAwayInTheFeaturesAloneStillLeadsTheOutliers()
    {
        // A t-SNE map can hide an artefact inside an ordinary-looking cluster; the features must be enough.
        var (points, labels) = TwoBlobs(300, seed: 8);
        var (features, _) = TwoBlobs(300, seed: 9, dimensions: 8);
        for (var j = 0; j < 8; j++) features[123, j] = 12;

        var report = QualityAnalysis.Run(new QualityInput(points, labels, TwoClasses, Features: features), new QualityOptions(Top: 2));

        Assert.Equal(123, report.Outliers[0].Point);
        Assert.Contains("as far as usual in the features", report.Outliers[0].Reason);
        Assert.True(report.Outliers[0].Score > 2 * report.Outliers[1].Score, $"{report.Outliers[0].Score} vs {report.Outliers[1].Score}");
    }

    [Fact]
    public void FlippedLabelsInsideAnotherClassLeadTheLabelErrors()
    {
        var (points, labels) = TwoBlobs(300, seed: 3);
        int[] flipped = [3, 150, 420];
        foreach (var row in flipped) labels[row] = 1 - labels[row];

        var report = QualityAnalysis.Run(new QualityInput(points, labels, TwoClasses), new QualityOptions(Top: 20));

        Assert.Equal(flipped, report.LabelErrors.Take(3).Select(i => i.Point).Order());
        Assert.All(report.LabelErrors.Take(3), item => Assert.Equal(1.0, item.Score));
        Assert.Contains("15 of 15 nearest neighbours carry another label", report.LabelErrors[0].Reason);
        // The flipped points' own neighbours see one other label among 15 at most.
        Assert.All(report.LabelErrors.Skip(3), item => Assert.True(item.Score <= 1.0 / 15 + 1e-12, item.Reason));
    }

    [Fact]
    public void TiedLabelErrorsRankThePointDeeperInsideTheOtherClassFirst()
    {
        var (points, labels) = TwoBlobs(300, seed: 4);
        // Both sit among class b's points (all 15 neighbours b); 310 at b's centre, 320 at its edge.
        labels[310] = labels[320] = 0;
        points[310, 0] = 20; points[310, 1] = 0;
        points[320, 0] = 21.5f; points[320, 1] = 1.5f;

        var report = QualityAnalysis.Run(new QualityInput(points, labels, TwoClasses), new QualityOptions(Top: 2));

        Assert.Equal([310, 320], report.LabelErrors.Select(i => i.Point));
    }

    [Fact]
    public void FeaturesJoinTheMapAndTheReportSaysSo()
    {
        var (points, labels) = TwoBlobs(200, seed: 5);
        var (features, _) = TwoBlobs(200, seed: 6, dimensions: 8);
        var indices = Enumerable.Range(1000, 400).ToArray();

        var report = QualityAnalysis.Run(new QualityInput(points, labels, TwoClasses, indices, features), new QualityOptions(Top: 3));

        Assert.Equal("map+features", report.Spaces);
        Assert.All(report.Outliers, item => Assert.Equal(item.Point + 1000, item.Index));
        Assert.Contains("features", report.Outliers[0].Reason);
        var read = QualityReport.FromJson(report.ToJson());
        Assert.Equal((report.PointCount, report.K, report.Spaces), (read.PointCount, read.K, read.Spaces));
        Assert.Equal(report.Outliers, read.Outliers);
        Assert.Equal(report.NearDuplicates, read.NearDuplicates);
        Assert.Equal(report.LabelErrors, read.LabelErrors);
    }

    [Fact]
    public void InputsThatDoNotFitAreRefusedInOneLine()
    {
        var (points, labels) = TwoBlobs(10, seed: 7);
        Assert.Contains("k must lie between 1 and 19", Assert.Throws<ArgumentException>(() =>
            QualityAnalysis.Run(new QualityInput(points, labels, TwoClasses), new QualityOptions(K: 20))).Message);
        Assert.Contains("3 feature rows for 20 points", Assert.Throws<ArgumentException>(() =>
            QualityAnalysis.Run(new QualityInput(points, labels, TwoClasses, Features: new float[3, 4]))).Message);
        Assert.Contains("2 pixel hashes for 20 points", Assert.Throws<ArgumentException>(() =>
            QualityAnalysis.Run(new QualityInput(points, labels, TwoClasses, PixelHashes: [1, 2]))).Message);
    }
}
