using Medvis.Core.Augmentation;
using Medvis.Core.Training;
using static TorchSharp.torch;

namespace Medvis.Core.Tests.Training;

public class IsimedLossTests
{
    private const int Side = 28;

    /// <summary>B×K×2 crop centres in pixels, seeded.</summary>
    private static float[] RandomCentres(int images, int crops, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, images * crops * 2).Select(_ => (float)(7 + random.NextDouble() * 14)).ToArray();
    }

    /// <summary>Embeddings whose distances equal the physical ones: the centres in image-side units, turned, moved and padded with zeros.</summary>
    private static float[] IsometricEmbeddings(float[] centres, int dims, double pixelsPerUnit)
    {
        var (cos, sin) = (Math.Cos(0.7), Math.Sin(0.7));
        var rows = centres.Length / 2;
        var result = new float[rows * dims];
        for (var r = 0; r < rows; r++)
        {
            var (x, y) = (centres[2 * r] / pixelsPerUnit, centres[2 * r + 1] / pixelsPerUnit);
            result[r * dims] = (float)(cos * x - sin * y + 3);
            result[r * dims + 1] = (float)(sin * x + cos * y - 1);
        }
        return result;
    }

    [Theory]
    [InlineData(IsimedPenalty.Squared, IsimedDistanceUnit.ImageSide)]
    [InlineData(IsimedPenalty.Absolute, IsimedDistanceUnit.ImageSide)]
    [InlineData(IsimedPenalty.Squared, IsimedDistanceUnit.Pixels)]
    public void TheLossIsZeroWhenLatentDistancesEqualThePhysicalOnes(IsimedPenalty penalty, IsimedDistanceUnit unit)
    {
        var pixelsPerUnit = unit == IsimedDistanceUnit.ImageSide ? Side : 1.0;
        var centreValues = RandomCentres(5, 4, seed: 1);
        using var centres = tensor(centreValues, [5, 4, 2]);
        using var embeddings = tensor(IsometricEmbeddings(centreValues, 8, pixelsPerUnit), [20, 8]);
        using var loss = IsimedLoss.Compute(embeddings, centres, pixelsPerUnit, penalty);
        Assert.Equal(0, loss.item<float>(), 4);
    }

    [Fact]
    public void TheLossIsTheMeanPenaltyOverPairsOfCropsOfOneImage()
    {
        // Embeddings at twice the physical distances: each pair's difference is its physical distance d, so the
        // squared loss is the mean of d² over the pairs within each image (pairs across images do not count).
        var centreValues = RandomCentres(3, 3, seed: 2);
        using var centres = tensor(centreValues, [3, 3, 2]);
        var doubled = IsometricEmbeddings(centreValues, 2, Side / 2.0);
        using var embeddings = tensor(doubled, [9, 2]);
        var expected = 0.0;
        for (var image = 0; image < 3; image++)
            for (var i = 0; i < 3; i++)
                for (var j = i + 1; j < 3; j++)
                {
                    var (a, b) = (2 * (image * 3 + i), 2 * (image * 3 + j));
                    var dx = (centreValues[a] - centreValues[b]) / Side;
                    var dy = (centreValues[a + 1] - centreValues[b + 1]) / Side;
                    expected += (dx * dx + dy * dy) / 9;
                }
        using var squared = IsimedLoss.Compute(embeddings, centres, Side, IsimedPenalty.Squared);
        Assert.Equal(expected, squared.item<float>(), 5);
        Assert.True(expected > 0.01);
    }

    [Fact]
    public void TheLossDoesNotDependOnTheOrderOfTheCrops()
    {
        var random = new Random(3);
        var (images, crops, dims) = (4, 5, 6);
        var centreValues = RandomCentres(images, crops, seed: 4);
        var embeddingValues = Enumerable.Range(0, images * crops * dims).Select(_ => (float)random.NextDouble()).ToArray();
        using var centres = tensor(centreValues, [images, crops, 2]);
        using var embeddings = tensor(embeddingValues, [images * crops, dims]);
        // Another order of the crops within every image (a different one per image), applied to centres and embeddings alike.
        var order = Enumerable.Range(0, images).SelectMany(image =>
            Enumerable.Range(0, crops).OrderBy(_ => random.Next()).Select(k => (long)(image * crops + k))).ToArray();
        using var index = tensor(order);
        using var shuffledEmbeddings = embeddings.index_select(0, index);
        using var shuffledCentres = centres.reshape(images * crops, 2).index_select(0, index).reshape(images, crops, 2);
        Assert.NotEqual(Enumerable.Range(0, images * crops).Select(i => (long)i), order);

        foreach (var penalty in new[] { IsimedPenalty.Squared, IsimedPenalty.Absolute })
        {
            using var original = IsimedLoss.Compute(embeddings, centres, Side, penalty);
            using var shuffled = IsimedLoss.Compute(shuffledEmbeddings, shuffledCentres, Side, penalty);
            Assert.True(original.item<float>() > 0.01);
            Assert.Equal(original.item<float>(), shuffled.item<float>(), 5);
        }
    }

    [Fact]
    public void CropsEmbeddedOnOnePointGiveFiniteGradients()
    {
        using var centres = tensor(RandomCentres(2, 3, seed: 5), [2, 3, 2]);
        using var embeddings = zeros(6, 4, requires_grad: true);
        using var loss = IsimedLoss.Compute(embeddings, centres, Side, IsimedPenalty.Squared);
        loss.backward();
        Assert.True(loss.item<float>() > 0);
        Assert.True(embeddings.grad!.isfinite().all().item<bool>());
    }

    [Fact]
    public void MismatchedShapesAreRejected()
    {
        using var centres = zeros(2, 3, 2);
        using var embeddings = zeros(5, 4);
        Assert.Throws<ArgumentException>(() => IsimedLoss.Compute(embeddings, centres, Side, IsimedPenalty.Squared));
        using var oneCrop = zeros(6, 1, 2);
        using var six = zeros(6, 4);
        Assert.Throws<ArgumentException>(() => IsimedLoss.Compute(six, oneCrop, Side, IsimedPenalty.Squared));
    }

    [Fact]
    public void CropsShowTheImageAroundTheirCentreAndStayInside()
    {
        // Channel 0 holds each pixel's x coordinate and channel 1 its y, so a crop's mean value is its centre.
        const int size = 20;
        var pixels = new float[2 * size * size];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                pixels[y * size + x] = x + 0.5f;
                pixels[size * size + y * size + x] = y + 0.5f;
            }
        using var image = tensor(pixels, [1, 2, size, size]);
        using var images = image.expand(3, 2, size, size).contiguous();
        using var generator = new Generator(11, CPU);
        var (crops, centres) = PositionCrops.Sample(images, 6, 0.4, generator);
        using (crops)
        using (centres)
        {
            Assert.Equal(new long[] { 18, 2, size, size }, crops.shape);
            Assert.Equal(new long[] { 3, 6, 2 }, centres.shape);
            var centreValues = centres.data<float>().ToArray();
            Assert.All(centreValues, c => Assert.InRange(c, 0.2 * size - 1e-4, 0.8 * size + 1e-4));
            Assert.True(centreValues.Max() - centreValues.Min() > 0.3 * size);
            using var means = crops.mean([2L, 3L]);
            var meanValues = means.data<float>().ToArray();
            // Exact up to the border clamp of samples within half a pixel of the image's edge.
            for (var i = 0; i < centreValues.Length; i++) Assert.InRange(meanValues[i] - centreValues[i], -0.05, 0.05);
        }
    }
}
