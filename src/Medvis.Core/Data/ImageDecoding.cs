using Medvis.Core.Data.Dicom;
using SkiaSharp;

namespace Medvis.Core.Data;

/// <summary>
/// Turns an encoded image (PNG, JPEG, BMP, GIF, WebP via SkiaSharp; baseline TIFF via <see cref="TiffDecoder"/>;
/// 2-D DICOM via <see cref="DicomPixelDecoder"/>, recognised by its "DICM" preamble whatever the file is called)
/// into a square C×H×W byte block: centre crop to a square, then a quality downscale to the wanted size.
/// The size the header states is checked against <see cref="InputLimits.MaxImagePixels"/> before any pixel is decoded.
/// </summary>
internal static class ImageDecoding
{
    /// <summary>File extensions this class can decode (lower case, with the dot).</summary>
    public static IReadOnlySet<string> Extensions { get; } =
        new HashSet<string>([".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp", ".dcm", ".dicom"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Per-image memory of a decode, in bytes per decoded pixel: the RGBA bitmap, its centre square and the first
    /// halving (4 + 4 + 1), rounded up.
    /// </summary>
    public const int DecodeBytesPerPixel = 12;

    /// <summary>Decodes <paramref name="encoded"/> to <paramref name="size"/>×<paramref name="size"/>, RGB planes (C=3) or luminance (C=1).</summary>
    /// <param name="encoded">The file's bytes.</param>
    /// <param name="size">Side of the square produced.</param>
    /// <param name="channels">1 (luminance) or 3 (RGB planes).</param>
    /// <param name="limits">The pixel cap and TIFF directory bound.</param>
    /// <param name="path">The file named when a limit refuses it.</param>
    /// <param name="window">How grey DICOM images are windowed; each file's own window when null.</param>
    /// <exception cref="FormatException">When the bytes are not a decodable image.</exception>
    /// <exception cref="DatasetFormatException">When the image is larger than the limits allow.</exception>
    public static byte[] DecodeSquare(byte[] encoded, int size, int channels, InputLimits limits, string path, DicomWindow? window = null)
    {
        if (size is < 1 or > 4096) throw new ArgumentOutOfRangeException(nameof(size), $"image size {size} must be between 1 and 4096");
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), "channels must be 1 or 3");
        using var bitmap = TiffDecoder.LooksLikeTiff(encoded) ? TiffDecoder.Decode(encoded, limits, path)
            : DicomParser.LooksLikeDicom(encoded) ? DicomPixelDecoder.Decode(encoded, limits, path, window ?? DicomWindow.FromFile)
            : DecodeWithSkia(encoded, size, limits, path);
        using var resized = Resize(CropToCentreSquare(bitmap), size);
        return ToPlanes(resized, channels);
    }

    /// <summary>Whether all three colour planes of a C×H×W block are equal (a grey image stored as RGB).</summary>
    public static bool IsGrey(ReadOnlySpan<byte> rgbPlanes)
    {
        var plane = rgbPlanes.Length / 3;
        return rgbPlanes[..plane].SequenceEqual(rgbPlanes.Slice(plane, plane))
            && rgbPlanes[..plane].SequenceEqual(rgbPlanes.Slice(2 * plane, plane));
    }

    /// <summary>
    /// Decodes with SkiaSharp; JPEGs are decoded at a reduced scale when that still leaves ≥ 2× the target size.
    /// The codec reads only the header until <see cref="SKCodec.GetPixels(SKImageInfo, IntPtr)"/>, so the size it will
    /// decode to is checked first.
    /// </summary>
    private static SKBitmap DecodeWithSkia(byte[] encoded, int size, InputLimits limits, string path)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data) ?? throw new FormatException("not a decodable image (unknown or corrupt format)");
        var full = codec.Info;
        if (full.Width <= 0 || full.Height <= 0) throw new FormatException("image has no pixels");
        var scale = Math.Min(1f, 2f * size / Math.Min(full.Width, full.Height));
        var scaled = codec.GetScaledDimensions(scale);
        if (scaled.Width < size || scaled.Height < size) scaled = new SKSizeI(full.Width, full.Height);
        limits.RequireImagePixels(path, scaled.Width, scaled.Height);
        var info = new SKImageInfo(scaled.Width, scaled.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        // TryAllocPixels instead of the sizing constructor, whose failure is an exception that names no file.
        var bitmap = new SKBitmap();
        if (!bitmap.TryAllocPixels(info))
        {
            bitmap.Dispose();
            throw new DatasetFormatException(path, $"no memory for the {scaled.Width}×{scaled.Height} pixels of the image");
        }
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            bitmap.Dispose();
            throw new FormatException($"image data could not be decoded ({result})");
        }
        return bitmap;
    }

    private static SKBitmap CropToCentreSquare(SKBitmap bitmap)
    {
        var side = Math.Min(bitmap.Width, bitmap.Height);
        var left = (bitmap.Width - side) / 2;
        var top = (bitmap.Height - side) / 2;
        var square = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var source = bitmap.GetPixelSpan();
        var target = square.GetPixelSpan();
        for (var y = 0; y < side; y++)
            source.Slice(((top + y) * bitmap.Width + left) * 4, side * 4).CopyTo(target.Slice(y * side * 4, side * 4));
        return square;
    }

    /// <summary>
    /// Box-averages by whole factors while the image is over twice the target, then a Mitchell cubic resize:
    /// plain cubic on a large reduction would alias.
    /// </summary>
    /// <remarks>Takes ownership of <paramref name="square"/>.</remarks>
    private static SKBitmap Resize(SKBitmap square, int size)
    {
        var current = square;
        while (current.Width >= 4 * size)
        {
            var halved = HalveByAveraging(current);
            current.Dispose();
            current = halved;
        }
        if (current.Width == size) return current;
        var resized = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var sampling = current.Width > size ? new SKSamplingOptions(SKCubicResampler.Mitchell) : new SKSamplingOptions(SKCubicResampler.CatmullRom);
        current.ScalePixels(resized, sampling);
        current.Dispose();
        return resized;
    }

    private static SKBitmap HalveByAveraging(SKBitmap bitmap)
    {
        var side = bitmap.Width / 2;
        var halved = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var source = bitmap.GetPixelSpan();
        var target = halved.GetPixelSpan();
        var stride = bitmap.Width * 4;
        for (var y = 0; y < side; y++)
            for (var x = 0; x < side; x++)
            {
                var a = 2 * y * stride + 2 * x * 4;
                for (var c = 0; c < 4; c++)
                    target[(y * side + x) * 4 + c] = (byte)((source[a + c] + source[a + 4 + c] + source[a + stride + c] + source[a + stride + 4 + c] + 2) / 4);
            }
        return halved;
    }

    /// <summary>RGBA pixels to R, G, B planes, or to one luminance plane (ITU-R 601 weights).</summary>
    private static byte[] ToPlanes(SKBitmap bitmap, int channels)
    {
        var pixels = bitmap.GetPixelSpan();
        var plane = bitmap.Width * bitmap.Height;
        var planes = new byte[plane * channels];
        for (var p = 0; p < plane; p++)
        {
            byte r = pixels[p * 4], g = pixels[p * 4 + 1], b = pixels[p * 4 + 2];
            if (channels == 1)
            {
                planes[p] = (byte)Math.Clamp((int)Math.Round(0.299 * r + 0.587 * g + 0.114 * b), 0, 255);
                continue;
            }
            planes[p] = r;
            planes[plane + p] = g;
            planes[2 * plane + p] = b;
        }
        return planes;
    }
}
