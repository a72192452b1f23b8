using Medvis.Core.Augmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Tests.Augmentation;

public class BatchAugmenterTests
{
    private static readonly float[] Grey01 = [0.25f];
    private static readonly float[] Fill01 = [0.2f, 0.4f, 0.6f];

    private static AugmentationOptions NothingOn => new()
    {
        Crop = false, HorizontalFlip = false, ColorJitter = false, Grayscale = false,
        Rot90AndVerticalFlip = false, ArbitraryRotation = false,
    };

    private static Tensor RandomImages(long n, long c, long size, long seed = 4711)
    {
        using var generator = new Generator((ulong)seed);
        return rand(new[] { n, c, size, size }, generator: generator);
    }

    private static BatchAugmenter Augmenter(AugmentationOptions options, float[]? fill = null, long seed = 4711) =>
        new(options, fill ?? Fill01, new Generator((ulong)seed));

    private static ViewParameters[] Same(int count, ViewParameters view) => Enumerable.Repeat(view, count).ToArray();

    private static float MaxAbsDifference(Tensor a, Tensor b)
    {
        using var diff = (a - b).abs().max();
        return diff.item<float>();
    }

    [Theory]
    [InlineData("natural")]
    [InlineData("rot90")]
    [InlineData("rotate")]
    public void ViewsKeepShapeTypeDeviceAndStayInTheUnitRange(string set)
    {
        using var images = RandomImages(16, 3, 28);
        using var augmenter = Augmenter(AugmentationOptions.FromName(set));
        using var view = augmenter.Augment(images);
        Assert.Equal(images.shape, view.shape);
        Assert.Equal(float32, view.dtype);
        Assert.Equal(images.device_type, view.device_type);
        Assert.True(view.min().item<float>() >= 0f);
        Assert.True(view.max().item<float>() <= 1f);
        Assert.True(MaxAbsDifference(view, images) > 0.05f, "the view should differ from the input");
    }

    [Fact]
    public void WithEverythingOffTheViewIsACopyOfTheInput()
    {
        using var images = RandomImages(4, 3, 28);
        using var augmenter = Augmenter(NothingOn);
        using var view = augmenter.Augment(images);
        Assert.Equal(0f, MaxAbsDifference(view, images));
        Assert.NotEqual(images.Handle, view.Handle);
    }

    [Theory]
    [InlineData(28)]
    [InlineData(64)]
    [InlineData(7)]
    public void AQuarterTurnEqualsTorchRot90(int size)
    {
        using var images = RandomImages(3, 3, size);
        using var augmenter = Augmenter(NothingOn);
        using var view = augmenter.Apply(images, Same(3, ViewParameters.Identity with { QuarterTurns = 1 }));
        using var expected = images.rot90(1, (2, 3));
        Assert.Equal(0f, MaxAbsDifference(view, expected));
    }

    [Fact]
    public void FlipsEqualTorchFlip()
    {
        using var images = RandomImages(3, 3, 28);
        using var augmenter = Augmenter(NothingOn);
        using var horizontal = augmenter.Apply(images, Same(3, ViewParameters.Identity with { HorizontalFlip = true }));
        using var vertical = augmenter.Apply(images, Same(3, ViewParameters.Identity with { VerticalFlip = true }));
        using var both = augmenter.Apply(images, Same(3, ViewParameters.Identity with { HorizontalFlip = true, VerticalFlip = true, QuarterTurns = 1 }));
        using var expectedHorizontal = images.flip(3);
        using var expectedVertical = images.flip(2);
        using var expectedBoth = images.rot90(1, (2, 3)).flip(2, 3);
        Assert.Equal(0f, MaxAbsDifference(horizontal, expectedHorizontal));
        Assert.Equal(0f, MaxAbsDifference(vertical, expectedVertical));
        Assert.Equal(0f, MaxAbsDifference(both, expectedBoth));
    }

    [Fact]
    public void RotatedCornersTakeTheBorderColourAndTheCentreKeepsTheImage()
    {
        using var images = full(2, 3, 28, 28, 0.9f);
        using var augmenter = Augmenter(AugmentationOptions.Rotate);
        using var view = augmenter.Apply(images, Same(2, ViewParameters.Identity with { AngleDegrees = 45 }));
        foreach (var (y, x) in new[] { (0, 0), (0, 27), (27, 0), (27, 27), (1, 2) })
            for (var c = 0; c < 3; c++)
                Assert.Equal(Fill01[c], view[1, c, y, x].item<float>(), 5);
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(0.9f, view[0, c, 14, 14].item<float>(), 5);
            Assert.Equal(0.9f, view[0, c, 14, 0].item<float>(), 5); // edge midpoints stay inside a 45° turn
        }
    }

    [Fact]
    public void ACropResizesTheChosenRegionToTheFullImage()
    {
        // A horizontal ramp (pixel i has value i/8) is linear, so bilinear upsampling reproduces it exactly: the crop
        // of columns 2..5 maps output column j to input position 1.75 + 0.5·j.
        using var ramp = arange(8, dtype: float32).div(8).view(1, 1, 1, 8).expand(1, 1, 8, 8).contiguous();
        using var augmenter = Augmenter(NothingOn, Grey01);
        using var view = augmenter.Apply(ramp, [ViewParameters.Identity with { Crop = new CropBox(0.25, 0.25, 0.5, 0.5) }]);
        using var expected = arange(8, dtype: float32).mul(0.5).add(1.75).div(8).view(1, 1, 1, 8).expand(1, 1, 8, 8);
        Assert.True(MaxAbsDifference(view, expected) < 1e-6f);
    }

    [Fact]
    public void CropsAtTheImageEdgeRepeatTheEdgeInsteadOfBlendingInTheFill()
    {
        using var images = full(1, 3, 28, 28, 0.7f);
        using var augmenter = Augmenter(NothingOn);
        using var view = augmenter.Apply(images, [ViewParameters.Identity with { Crop = new CropBox(0, 0, 0.5, 0.5) }]);
        Assert.True(MaxAbsDifference(view, images) < 1e-6f);
    }

    [Fact]
    public void RotatedEdgesFadeToTheFillWithinAboutOnePixel()
    {
        // A 30° turn leaves corners of fill; the image-to-fill transition must be a thin band along the rotated edges.
        using var images = full(1, 1, 28, 28, 1f);
        using var augmenter = Augmenter(NothingOn, [0f]);
        using var view = augmenter.Apply(images, [ViewParameters.Identity with { AngleDegrees = 30 }]);
        using var partial = view.gt(0.01f).logical_and(view.lt(0.99f)).sum();
        using var filled = view.le(0.01f).sum();
        Assert.True(filled.item<long>() > 50, "a 30° turn leaves corners of fill");
        Assert.InRange(partial.item<long>(), 1, 4 * 28 * 2);
    }

    [Fact]
    public void MixedBatchesSampleEachViewWithItsOwnTransform()
    {
        using var images = RandomImages(3, 3, 28);
        using var augmenter = Augmenter(NothingOn);
        ViewParameters[] views =
        [
            ViewParameters.Identity with { HorizontalFlip = true },
            ViewParameters.Identity,
            ViewParameters.Identity with { AngleDegrees = 45 },
        ];
        using var view = augmenter.Apply(images, views);
        using var turned = augmenter.Apply(images[2..3], [views[2]]);
        Assert.Equal(0f, MaxAbsDifference(view[0], images[0].flip(2)));
        Assert.Equal(0f, MaxAbsDifference(view[1], images[1]));
        Assert.Equal(0f, MaxAbsDifference(view[2], turned[0]));
    }

    [Fact]
    public void TheSameSeedGivesTheSameViews()
    {
        using var images = RandomImages(8, 3, 28);
        using var first = Augmenter(AugmentationOptions.Rotate, seed: 1);
        using var second = Augmenter(AugmentationOptions.Rotate, seed: 1);
        using var a1 = first.Augment(images);
        using var a2 = first.Augment(images);
        using var b1 = second.Augment(images);
        using var b2 = second.Augment(images);
        Assert.Equal(0f, MaxAbsDifference(a1, b1));
        Assert.Equal(0f, MaxAbsDifference(a2, b2));
    }

    [Fact]
    public void DifferentSeedsAndTheTwoViewsOfOneBatchDiffer()
    {
        using var images = RandomImages(8, 3, 28);
        using var first = Augmenter(AugmentationOptions.Natural, seed: 1);
        using var other = Augmenter(AugmentationOptions.Natural, seed: 2);
        using var viewA = first.Augment(images);
        using var viewB = first.Augment(images);
        using var otherSeed = other.Augment(images);
        Assert.True(MaxAbsDifference(viewA, viewB) > 0.1f);
        Assert.True(MaxAbsDifference(viewA, otherSeed) > 0.1f);
    }

    [Theory]
    [InlineData("natural")]
    [InlineData("rotate")]
    public void GreyImagesWork(string set)
    {
        using var images = RandomImages(8, 1, 28);
        using var augmenter = Augmenter(AugmentationOptions.FromName(set), Grey01);
        using var view = augmenter.Augment(images);
        Assert.Equal(images.shape, view.shape);
        Assert.True(view.min().item<float>() >= 0f && view.max().item<float>() <= 1f);
        Assert.True(MaxAbsDifference(view, images) > 0.05f);
    }

    [Fact]
    public void AnEmptyBatchGivesAnEmptyBatch()
    {
        using var images = zeros(0, 3, 28, 28);
        using var augmenter = Augmenter(AugmentationOptions.Rotate);
        using var view = augmenter.Augment(images);
        Assert.Equal(images.shape, view.shape);
    }

    [Fact]
    public void WrongInputIsAClearError()
    {
        using var augmenter = Augmenter(AugmentationOptions.Natural);
        using var grey = RandomImages(2, 1, 8);
        using var bytes = zeros(new long[] { 2, 3, 8, 8 }, dtype: uint8);
        using var flat = zeros(3, 8, 8);
        Assert.Contains("channels", Assert.Throws<ArgumentException>(() => augmenter.Augment(grey)).Message);
        Assert.Contains("float32", Assert.Throws<ArgumentException>(() => augmenter.Augment(bytes)).Message);
        Assert.Contains("N×C×H×W", Assert.Throws<ArgumentException>(() => augmenter.Augment(flat)).Message);
        Assert.Throws<ArgumentException>(() => new BatchAugmenter(AugmentationOptions.Natural, [1.5f, 0, 0], new Generator(1)));
        Assert.Throws<ArgumentException>(() => new BatchAugmenter(
            AugmentationOptions.Rotate with { MaxRotationDegrees = double.NaN }, Fill01, new Generator(1)));
    }

    [Fact]
    public void MemoryStaysFlatOverManyBatches()
    {
        using var images = RandomImages(32, 3, 28);
        using var augmenter = Augmenter(AugmentationOptions.Rotate);
        using (augmenter.Augment(images)) { } // warm-up creates the cached fill colour
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 5; i++)
            using (augmenter.Augment(images)) { }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
