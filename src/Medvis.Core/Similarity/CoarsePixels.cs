using Medvis.Core.Data;

namespace Medvis.Core.Similarity;

/// <summary>
/// Each image as a coarse grid of mean intensities per channel (7×7 cells, values in [0, 1]): its colours and rough
/// layout, the things contrastive features are trained to ignore (colour jitter, crops), so a grey X-ray can look
/// like a stained cell to the backbone yet never to this.
/// </summary>
public static class CoarsePixels
{
    /// <summary>Cells per side.</summary>
    public const int Cells = 7;

    /// <summary>One row per image: channels × <see cref="Cells"/> × <see cref="Cells"/> cell means.</summary>
    public static float[,] Of(ImageDataset images)
    {
        int channels = images.Channels, height = images.Height, width = images.Width;
        var rows = new float[images.Count, channels * Cells * Cells];
        var sums = new double[channels * Cells * Cells];
        var counts = new int[Cells * Cells];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                counts[y * Cells / height * Cells + x * Cells / width]++;
        for (var i = 0; i < images.Count; i++)
        {
            Array.Clear(sums);
            var image = images.Image(i);
            for (var c = 0; c < channels; c++)
                for (var y = 0; y < height; y++)
                    for (var x = 0; x < width; x++)
                        sums[c * Cells * Cells + y * Cells / height * Cells + x * Cells / width] += image[(c * height + y) * width + x];
            for (var j = 0; j < sums.Length; j++)
                rows[i, j] = (float)(sums[j] / (counts[j % (Cells * Cells)] * 255.0));
        }
        return rows;
    }
}
