using Medvis.Core.Augmentation;
using TorchSharp;

namespace Medvis.Core.Tests.Augmentation;

public class ViewParameterSamplerTests
{
    private const int Count = 4000;

    private static ViewParameters[] Sample(AugmentationOptions options, int height = 28, int width = 28)
    {
        using var generator = new torch.Generator(4711);
        return new ViewParameterSampler(options, generator).Sample(Count, height, width);
    }

    private static double Fraction(IEnumerable<ViewParameters> views, Func<ViewParameters, bool> predicate) =>
        views.Count(predicate) / (double)Count;

    [Fact]
    public void NaturalViewsUseTheReferenceProbabilities()
    {
        var views = Sample(AugmentationOptions.Natural);
        Assert.InRange(Fraction(views, v => v.HorizontalFlip), 0.47, 0.53);
        Assert.InRange(Fraction(views, v => v.Jitter is not null), 0.77, 0.83);
        Assert.InRange(Fraction(views, v => v.Grayscale), 0.18, 0.22);
        Assert.All(views, v => Assert.Equal(0, v.QuarterTurns));
        Assert.All(views, v => Assert.False(v.VerticalFlip));
        Assert.All(views, v => Assert.Equal(0, v.AngleDegrees));
    }

    [Fact]
    public void RotateViewsTurnFlipAndRotateWithinTheRange()
    {
        var views = Sample(AugmentationOptions.Rotate);
        Assert.InRange(Fraction(views, v => v.QuarterTurns == 1), 0.47, 0.53);
        Assert.InRange(Fraction(views, v => v.VerticalFlip), 0.47, 0.53);
        Assert.All(views, v => Assert.InRange(v.AngleDegrees, -45, 45));
        Assert.InRange(Fraction(views, v => v.AngleDegrees > 22.5), 0.22, 0.28);
    }

    [Fact]
    public void CropsAreWholePixelRectanglesInsideTheImageWithTheReferenceScaleAndRatio()
    {
        var views = Sample(AugmentationOptions.Natural);
        foreach (var crop in views.Select(v => v.Crop))
        {
            var (w, h) = (crop.Width * 28, crop.Height * 28);
            Assert.Equal(Math.Round(w), w, 9);
            Assert.Equal(Math.Round(crop.Left * 28), crop.Left * 28, 9);
            Assert.True(crop.Left >= 0 && crop.Top >= 0 && crop.Left + crop.Width <= 1 + 1e-12 && crop.Top + crop.Height <= 1 + 1e-12);
            // Rounding to whole pixels widens the reference's scale (0.2, 1) and ratio (3/4, 4/3) slightly.
            Assert.InRange(crop.Width * crop.Height, 0.17, 1.0);
            Assert.InRange(w / h, 0.6, 1.6);
        }
        var meanArea = views.Average(v => v.Crop.Width * v.Crop.Height);
        Assert.InRange(meanArea, 0.52, 0.62); // ≈ 0.58 for 28×28: U(0.2, 1) less the tries that do not fit
    }

    [Fact]
    public void ALargerSmallestCropScaleGivesOnlyLargerCrops()
    {
        var views = Sample(AugmentationOptions.Natural with { MinCropScale = 0.5 });
        // Whole-pixel rounding can shave a little off the 0.5 floor (e.g. 14×26 px of 28×28 = 0.464).
        Assert.All(views, v => Assert.InRange(v.Crop.Width * v.Crop.Height, 0.45, 1.0));
        var meanArea = views.Average(v => v.Crop.Width * v.Crop.Height);
        Assert.InRange(meanArea, 0.70, 0.78); // ≈ 0.75 = mean of U(0.5, 1), less the tries that do not fit
    }

    [Fact]
    public void JitterFactorsAndOrdersFollowColorJitter()
    {
        var jitters = Sample(AugmentationOptions.Natural).Select(v => v.Jitter).OfType<JitterParameters>().ToArray();
        Assert.All(jitters, j =>
        {
            Assert.InRange(j.Brightness, 0.6f, 1.4f);
            Assert.InRange(j.Contrast, 0.6f, 1.4f);
            Assert.InRange(j.Saturation, 0.6f, 1.4f);
            Assert.InRange(j.Hue, -0.1f, 0.1f);
            Assert.Equal(4, j.Order.Distinct().Count());
        });
        Assert.Equal(24, jitters.Select(j => string.Join(",", j.Order)).Distinct().Count());
    }

    [Fact]
    public void SwitchingATransformOffDoesNotChangeTheOthers()
    {
        var all = Sample(AugmentationOptions.Rotate);
        var noCrop = Sample(AugmentationOptions.Rotate with { Crop = false });
        Assert.Equal(all.Select(v => v.AngleDegrees), noCrop.Select(v => v.AngleDegrees));
        Assert.Equal(all.Select(v => v.HorizontalFlip), noCrop.Select(v => v.HorizontalFlip));
        Assert.All(noCrop, v => Assert.Equal(CropBox.Full, v.Crop));
    }

    [Fact]
    public void NonSquareImagesGetCropsThatFit()
    {
        var views = Sample(AugmentationOptions.Natural, height: 20, width: 60);
        Assert.All(views, v => Assert.True(v.Crop.Top + v.Crop.Height <= 1 + 1e-12 && v.Crop.Left + v.Crop.Width <= 1 + 1e-12));
    }
}
