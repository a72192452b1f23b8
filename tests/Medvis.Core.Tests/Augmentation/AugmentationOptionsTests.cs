using Medvis.Core.Augmentation;

namespace Medvis.Core.Tests.Augmentation;

public class AugmentationOptionsTests
{
    [Theory]
    [InlineData("natural")]
    [InlineData("rot90")]
    [InlineData(" Rotate ")]
    public void PlainNamesParseToTheNamedSets(string name) =>
        Assert.Equal(AugmentationOptions.FromName(name), AugmentationOptions.Parse(name));

    [Fact]
    public void ChangesSwitchItemsAndSetValues()
    {
        var options = AugmentationOptions.Parse("rotate, -grayscale, -jitter, crop-scale=0.5, max-angle=30");
        Assert.Equal(AugmentationOptions.Rotate with { Grayscale = false, ColorJitter = false, MinCropScale = 0.5, MaxRotationDegrees = 30 }, options);
        Assert.Equal("custom", options.Describe());
    }

    [Fact]
    public void ItemsCanBeAddedToASmallerSet()
    {
        Assert.Equal(AugmentationOptions.Rot90, AugmentationOptions.Parse("natural,+rot90"));
        Assert.Equal(AugmentationOptions.Rotate, AugmentationOptions.Parse("natural,+rot90,+angle"));
        Assert.Equal(AugmentationOptions.Natural with { Crop = false, HorizontalFlip = false }, AugmentationOptions.Parse("natural,-crop,-hflip"));
    }

    [Theory]
    [InlineData("rotate", "rotate")]
    [InlineData("natural", "natural")]
    [InlineData("rotate,-grayscale", "rotate,-grayscale")]
    [InlineData("natural,+rot90", "rot90")]
    [InlineData("natural,-crop,+grayscale,max-angle=30", "natural,-crop,max-angle=30")]
    [InlineData("rotate,crop-scale=0.5,max-angle=30", "rotate,crop-scale=0.5,max-angle=30")]
    [InlineData("natural,-jitter,-grayscale,+angle", "rotate,-jitter,-grayscale,-rot90")]
    public void ToSpecIsTheShortestSpecThatParsesBack(string spec, string expected)
    {
        var options = AugmentationOptions.Parse(spec);
        Assert.Equal(expected, options.ToSpec());
        Assert.Equal(options, AugmentationOptions.Parse(options.ToSpec()));
    }

    [Theory]
    [InlineData("", "No augmentation")]
    [InlineData("rotated", "Unknown augmentation set")]
    [InlineData("rotate,-blur", "Unknown augmentation item 'blur'")]
    [InlineData("rotate,grayscale", "must start with + or -")]
    [InlineData("rotate,crop-scale=big", "'big' is not a number")]
    [InlineData("rotate,zoom=2", "Unknown augmentation setting 'zoom'")]
    [InlineData("rotate,crop-scale=0", "smallest crop scale")]
    [InlineData("rotate,crop-scale=1.5", "smallest crop scale")]
    [InlineData("rotate,max-angle=270", "largest rotation")]
    public void BadSpecsNameTheProblem(string spec, string expected) =>
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => AugmentationOptions.Parse(spec)).Message);
}
