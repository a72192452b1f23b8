using Medvis.Core.Data;
using Medvis.Core.Similarity;

namespace Medvis.Core.Tests.Similarity;

public sealed class TrainingLikenessTests
{
    private const int Side = 14;

    /// <summary>RGB images of a stain-like colour with per-pixel noise; <paramref name="grey"/> makes the three channels equal.</summary>
    private static ImageDataset Images(int count, bool grey, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[count * 3 * Side * Side];
        byte[] stain = [150, 90, 170];
        for (var i = 0; i < count; i++)
            for (var p = 0; p < Side * Side; p++)
            {
                var noise = random.Next(-20, 21);
                for (var c = 0; c < 3; c++)
                    pixels[(i * 3 + c) * Side * Side + p] = (byte)Math.Clamp((grey ? 137 : stain[c]) + noise, 0, 255);
            }
        return new ImageDataset("cells", pixels, count, 3, Side, Side, new int[count], ["cell"]);
    }

    /// <summary>Features around one direction (<paramref name="axis"/>), with noise.</summary>
    private static float[,] Features(int count, int axis, int seed)
    {
        var random = new Random(seed);
        var features = new float[count, 8];
        for (var i = 0; i < count; i++)
            for (var d = 0; d < 8; d++)
                features[i, d] = (d == axis ? 1f : 0f) + (float)(0.1 * (random.NextDouble() - 0.5));
        return features;
    }

    [Fact]
    public void AnImageIsUnlikeTheTrainingImagesWhenItsFeaturesOrItsColoursAreAndTheLineSaysWhich()
    {
        var likeness = TrainingLikeness.Build(Features(300, 0, 1), Images(300, grey: false, 2));

        var alike = likeness.Judge(Features(100, 0, 3), Images(100, grey: false, 4));
        Assert.InRange(alike.Count(l => l.Unlike), 0, 6);
        // Grey images the backbone cannot tell apart (the same features): the pixels flag them.
        var grey = likeness.Judge(Features(20, 0, 5), Images(20, grey: true, 6));
        Assert.All(grey, l => Assert.True(l.Unlike && l.Pixels.Unlike));
        Assert.InRange(grey.Count(l => l.Features.Unlike), 0, 2);
        Assert.Equal("unlike the training images in colour and layout: farther from them than 100.0% of training images are from each other",
            grey.First(l => !l.Features.Unlike).Describe());
        // Stain-coloured images the backbone places elsewhere: the features flag them.
        var elsewhere = likeness.Judge(Features(20, 5, 7), Images(20, grey: false, 8));
        Assert.All(elsewhere, l => Assert.StartsWith("unlike the training images in the model's features", l.Describe()));
        Assert.All(likeness.Judge(Features(5, 5, 9), Images(5, grey: true, 10)), l =>
        {
            Assert.Equal(1.0, l.Percentile);
            Assert.StartsWith("unlike the training images in the model's features and in colour and layout", l.Describe());
        });
    }

    [Fact]
    public void ImagesOfAnotherShapeOrFeaturesOfAnotherCountAreRefused()
    {
        var likeness = TrainingLikeness.Build(Features(60, 0, 1), Images(60, grey: false, 2));
        var grey = new ImageDataset("grey", new byte[4 * Side * Side], 4, 1, Side, Side, new int[4], ["x"]);
        Assert.Contains("1×14×14", Assert.Throws<ArgumentException>(() => likeness.Judge(Features(4, 0, 3), grey)).Message);
        Assert.Contains("3 feature rows for 4 images", Assert.Throws<ArgumentException>(() => likeness.Judge(Features(3, 0, 3), Images(4, false, 4))).Message);
    }

    [Fact]
    public void CoarsePixelsAreTheMeansOfASevenBySevenGridPerChannelEvenWhenTheSideDoesNotDivide()
    {
        // A 10×10 grey image whose pixel (y, x) is 10·y: cell rows cover y = 0–1, 2, 3–4, 5, 6–7, 8, 9 (bins of y·7/10).
        var pixels = new byte[100];
        for (var y = 0; y < 10; y++) for (var x = 0; x < 10; x++) pixels[y * 10 + x] = (byte)(10 * y);
        var rows = CoarsePixels.Of(new ImageDataset("ramp", pixels, 1, 1, 10, 10, [0], ["x"]));

        Assert.Equal(49, rows.GetLength(1));
        double[] expectedRows = [5, 20, 35, 50, 65, 80, 90];
        for (var cy = 0; cy < 7; cy++)
            for (var cx = 0; cx < 7; cx++)
                Assert.Equal(expectedRows[cy] / 255, rows[0, cy * 7 + cx], 5);
    }
}
