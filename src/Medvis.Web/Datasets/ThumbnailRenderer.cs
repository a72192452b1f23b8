namespace Medvis.Web.Datasets;

/// <summary>PNG thumbnails of dataset images for the browser (nearest-neighbour enlargement keeps small images crisp).</summary>
public sealed class ThumbnailRenderer
{
    /// <summary>PNG bytes of image <paramref name="index"/>, enlarged by an integer factor (clamped to 1-16).</summary>
    public byte[] Png(ImageDataset data, int index, int scale = 3) => ImageEncoding.EncodePng(data, index, Math.Clamp(scale, 1, 16));
}
