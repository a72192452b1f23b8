namespace Medvis.Core.Augmentation;

/// <summary>
/// The random choices that make one augmented view of one image. <see cref="BatchAugmenter"/> draws them per
/// sample; tests build them by hand to force a specific transform.
/// </summary>
/// <param name="QuarterTurns">0 or 1: turn by 90° counter-clockwise (as <c>torch.rot90(k: 1, dims: (H, W))</c>).</param>
/// <param name="AngleDegrees">Further counter-clockwise rotation by an arbitrary angle (torchvision's sign convention).</param>
/// <param name="Crop">The region of the (rotated) image that is resized to the full output.</param>
/// <param name="HorizontalFlip">Mirror left-right after the crop.</param>
/// <param name="VerticalFlip">Mirror top-bottom after the horizontal flip.</param>
/// <param name="Jitter">Colour jitter factors, or null when the jitter is not applied to this view.</param>
/// <param name="Grayscale">Replace the colours by their luminance (3 channels kept).</param>
internal readonly record struct ViewParameters(
    int QuarterTurns,
    double AngleDegrees,
    CropBox Crop,
    bool HorizontalFlip,
    bool VerticalFlip,
    JitterParameters? Jitter,
    bool Grayscale)
{
    /// <summary>A view equal to the input image.</summary>
    public static ViewParameters Identity { get; } = new(0, 0, CropBox.Full, false, false, null, false);
}

/// <summary>A crop rectangle in fractions of the image width and height (0..1), origin top-left.</summary>
internal readonly record struct CropBox(double Left, double Top, double Width, double Height)
{
    /// <summary>The whole image.</summary>
    public static CropBox Full { get; } = new(0, 0, 1, 1);
}

/// <summary>The four colour-jitter operations, in the order of torchvision's <c>ColorJitter</c>.</summary>
internal enum JitterOperation { Brightness = 0, Contrast = 1, Saturation = 2, Hue = 3 }

/// <summary>
/// Per-view colour-jitter factors as torchvision draws them: brightness, contrast and saturation factors near 1
/// (1 = unchanged), a hue shift in turns (0 = unchanged), and the order in which the four are applied.
/// </summary>
internal sealed record JitterParameters(float Brightness, float Contrast, float Saturation, float Hue, JitterOperation[] Order)
{
    /// <summary>Torchvision's order, used when a test does not care.</summary>
    public static JitterOperation[] DefaultOrder { get; } =
        [JitterOperation.Brightness, JitterOperation.Contrast, JitterOperation.Saturation, JitterOperation.Hue];

    /// <summary>The factor of a blend operation (brightness, contrast, saturation).</summary>
    public float BlendFactor(JitterOperation operation) => operation switch
    {
        JitterOperation.Brightness => Brightness,
        JitterOperation.Contrast => Contrast,
        JitterOperation.Saturation => Saturation,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Hue is not a blend."),
    };
}
