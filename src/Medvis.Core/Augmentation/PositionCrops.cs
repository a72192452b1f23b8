using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Augmentation;

/// <summary>Crops of a batch, image by image, and where each crop's centre lies.</summary>
/// <param name="Crops">(B·K)×C×H×W, the K crops of image 0 first; each crop resampled to the image size.</param>
/// <param name="Centres">B×K×2 float32 crop centres in pixels (x, y), 0..W and 0..H from the image's top-left corner.</param>
public sealed record PositionCropBatch(Tensor Crops, Tensor Centres);

/// <summary>
/// Square-in-proportion crops of one size at random positions, for the ISImed objective: a crop spans
/// <c>fraction</c> of the image's width and height, its centre is uniform over the positions that keep it inside the
/// image, and it is resampled bilinearly to the full image size with one <c>affine_grid</c> + <c>grid_sample</c>
/// for the whole batch, so the network sees crops at the size it sees every other view.
/// </summary>
/// <remarks>
/// Positions are drawn from the caller's CPU generator in one <c>rand</c> call, so a seed gives the same crops on any
/// device. No flips or colour changes: where a crop comes from is what the objective teaches, and a flip would move it.
/// </remarks>
public static class PositionCrops
{
    /// <summary>K crops per image at random positions. <paramref name="images"/>: float32 B×C×H×W.</summary>
    public static PositionCropBatch Sample(Tensor images, int cropsPerImage, double fraction, Generator generator)
    {
        CheckFraction(fraction);
        using var scope = NewDisposeScope();
        using var span = (2 * (1 - fraction)).ToScalar();
        using var halfSpan = (1 - fraction).ToScalar();
        // Normalised centres (−1..1 across the image): the crop's half-width is `fraction`, so centres stay within ±(1 − fraction).
        var centres = rand(new long[] { images.shape[0], cropsPerImage, 2 }, dtype: float32, generator: generator)
            .mul_(span).sub_(halfSpan).to(images.device);
        var batch = At(images, centres, fraction);
        return new PositionCropBatch(batch.Crops.MoveToOuterDisposeScope(), batch.Centres.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Crops at given centres in <c>affine_grid</c>'s normalised coordinates (B×K×2, x then y, −1..1 across the image).
    /// </summary>
    public static PositionCropBatch At(Tensor images, Tensor normalisedCentres, double fraction)
    {
        CheckFraction(fraction);
        if (images.dim() != 4 || normalisedCentres.dim() != 3 || normalisedCentres.shape[0] != images.shape[0] || normalisedCentres.shape[2] != 2)
            throw new ArgumentException($"Crops need B×C×H×W images and B×K×2 centres, got [{string.Join(", ", images.shape)}] and [{string.Join(", ", normalisedCentres.shape)}].");
        using var scope = NewDisposeScope();
        var (batch, crops) = (images.shape[0], normalisedCentres.shape[1]);
        var (channels, height, width) = (images.shape[1], images.shape[2], images.shape[3]);
        var centres = normalisedCentres.to(images.dtype, images.device);
        var flatCentres = centres.reshape(batch * crops, 2, 1);
        var scale = tensor(new[] { fraction, 0, 0, fraction }, [1, 2, 2], dtype: images.dtype, device: images.device)
            .expand(batch * crops, 2, 2);
        var theta = cat([scale, flatCentres], 2);
        var sources = images.unsqueeze(1).expand(batch, crops, channels, height, width).reshape(batch * crops, channels, height, width);
        var grid = nn.functional.affine_grid(theta, [batch * crops, channels, height, width], align_corners: false);
        var sampled = nn.functional.grid_sample(sources, grid,
            mode: GridSampleMode.Bilinear, padding_mode: GridSamplePaddingMode.Border, align_corners: false);
        return new PositionCropBatch(sampled.MoveToOuterDisposeScope(), ToPixels(centres, height, width).MoveToOuterDisposeScope());
    }

    /// <summary>Normalised centres as pixels from the top-left corner: (c + 1)·size/2 per axis.</summary>
    private static Tensor ToPixels(Tensor normalisedCentres, long height, long width)
    {
        using var one = 1.0.ToScalar();
        using var halfSize = tensor(new float[] { width / 2f, height / 2f }, dtype: float32, device: normalisedCentres.device);
        return normalisedCentres.to_type(float32).add(one).mul_(halfSize);
    }

    private static void CheckFraction(double fraction)
    {
        if (!double.IsFinite(fraction) || fraction is <= 0 or >= 1)
            throw new ArgumentException($"The crop size {fraction} must be a fraction of the image side in (0, 1).", nameof(fraction));
    }
}
