using Medvis.Core.Data;
using SkiaSharp;

namespace Medvis.Core.Maps.Export;

/// <summary>
/// Every point's image as a tile of one JPEG, row by row (<see cref="Columns"/> tiles a row), so a standalone page
/// draws a hover thumbnail by cutting out tile <c>i</c> with no request per image.
/// </summary>
/// <param name="Jpeg">The atlas image.</param>
/// <param name="Tile">Side of a tile in pixels.</param>
/// <param name="Columns">Tiles per row.</param>
/// <param name="Count">Tiles, one per point, in point order.</param>
public sealed record ThumbnailAtlas(byte[] Jpeg, int Tile, int Columns, int Count)
{
    /// <summary>
    /// Draws image <c>imageIndices[i]</c> of <paramref name="images"/> into tile <c>i</c>, at the image's own size or
    /// scaled down to <paramref name="tileSize"/> when larger.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index outside the dataset, or an empty selection.</exception>
    public static ThumbnailAtlas Build(ImageDataset images, IReadOnlyList<int> imageIndices, int tileSize, int jpegQuality,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(imageIndices);
        ArgumentOutOfRangeException.ThrowIfZero(imageIndices.Count);
        var tile = Math.Min(tileSize, Math.Max(images.Height, images.Width));
        var columns = (int)Math.Ceiling(Math.Sqrt(imageIndices.Count));
        var rows = (imageIndices.Count + columns - 1) / columns;
        using var atlas = new SKBitmap(new SKImageInfo(columns * tile, rows * tile, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using var canvas = new SKCanvas(atlas);
        canvas.Clear(SKColors.White);
        var sampling = new SKSamplingOptions(SKCubicResampler.Mitchell);
        for (var i = 0; i < imageIndices.Count; i++)
        {
            if (i % 1024 == 0) cancellation.ThrowIfCancellationRequested();
            var index = imageIndices[i];
            if (index < 0 || index >= images.Count)
                throw new ArgumentOutOfRangeException(nameof(imageIndices), $"point {i} refers to image {index}, but the dataset has {images.Count}.");
            using var bitmap = ImageEncoding.ToBitmap(images, index);
            using var image = SKImage.FromBitmap(bitmap);
            canvas.DrawImage(image, SKRect.Create(i % columns * tile, i / columns * tile, tile, tile), sampling);
        }
        canvas.Flush();
        using var encoded = atlas.Encode(SKEncodedImageFormat.Jpeg, jpegQuality);
        return new ThumbnailAtlas(encoded.ToArray(), tile, columns, imageIndices.Count);
    }
}
