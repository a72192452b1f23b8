using Medvis.Core.Data;

namespace Medvis.Core.Augmentation;

/// <summary>
/// The dataset's mean border colour, the fill for corners that rotation brings in (medical t-SimCNE,
/// <c>dataloader/average_border_pixels.py</c>).
/// </summary>
public static class BorderColor
{
    /// <summary>
    /// Mean border colour (0..255 per channel) per the spec: per image, top row + bottom row + left/right columns
    /// excluding corners, each border pixel once, averaged per channel; then averaged over images.
    /// </summary>
    public static float[] Compute(ImageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Count == 0)
            throw new ArgumentException($"{dataset.Name}: no images, so there is no border colour to compute.", nameof(dataset));
        var sums = new double[dataset.Channels];
        for (var i = 0; i < dataset.Count; i++)
        {
            var means = ImageBorderMean(dataset.Image(i), dataset.Channels, dataset.Height, dataset.Width);
            for (var c = 0; c < sums.Length; c++) sums[c] += means[c];
        }
        return sums.Select(s => (float)(s / dataset.Count)).ToArray();
    }

    /// <summary>Scales a 0..255 colour to the 0..1 range <see cref="BatchAugmenter"/> takes.</summary>
    public static float[] ToUnitRange(IReadOnlyList<float> color255) => color255.Select(c => c / 255f).ToArray();

    /// <summary>Mean of one C×H×W image's border pixels per channel, each pixel counted once.</summary>
    private static double[] ImageBorderMean(ReadOnlySpan<byte> image, int channels, int height, int width)
    {
        var means = new double[channels];
        var planeSize = height * width;
        var borderCount = BorderPixels(height, width).Count();
        for (var c = 0; c < channels; c++)
        {
            var plane = image.Slice(c * planeSize, planeSize);
            long sum = 0;
            foreach (var (y, x) in BorderPixels(height, width)) sum += plane[y * width + x];
            means[c] = (double)sum / borderCount;
        }
        return means;
    }

    /// <summary>Top row, bottom row, then the left and right columns without the corners; no pixel twice.</summary>
    private static IEnumerable<(int Y, int X)> BorderPixels(int height, int width)
    {
        for (var x = 0; x < width; x++) yield return (0, x);
        if (height > 1)
            for (var x = 0; x < width; x++) yield return (height - 1, x);
        for (var y = 1; y < height - 1; y++)
        {
            yield return (y, 0);
            if (width > 1) yield return (y, width - 1);
        }
    }
}
