using SkiaSharp;

namespace Medvis.Core.Data;

/// <summary>Converts between <see cref="ImageDataset"/> images and encoded files (thumbnails out, uploads in).</summary>
public static class ImageEncoding
{
    /// <summary>
    /// PNG bytes of image <paramref name="index"/>, enlarged <paramref name="upscale"/> times
    /// (nearest-neighbour keeps the pixels of 28 px images crisp; <paramref name="smooth"/> uses cubic sampling).
    /// </summary>
    public static byte[] EncodePng(ImageDataset dataset, int index, int upscale = 1, bool smooth = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, dataset.Count);
        if (upscale is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(upscale), "upscale must be between 1 and 64");

        using var bitmap = ToBitmap(dataset.Image(index), dataset.Channels, dataset.Height, dataset.Width);
        using var scaled = upscale == 1 ? bitmap.Copy() : new SKBitmap(new SKImageInfo(dataset.Width * upscale, dataset.Height * upscale, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (upscale > 1)
            bitmap.ScalePixels(scaled, smooth ? new SKSamplingOptions(SKCubicResampler.Mitchell) : new SKSamplingOptions(SKFilterMode.Nearest));
        using var data = scaled.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>
    /// Decodes PNG/JPEG/TIFF/BMP files (e.g. uploads) into a dataset of <paramref name="size"/>-pixel squares with
    /// <paramref name="channels"/> channels (match the model's), all labelled with one class, <paramref name="className"/>.
    /// The number of files, their total and single sizes, each image's header size and the dataset's memory are
    /// checked against <paramref name="limits"/> before any image is decoded.
    /// </summary>
    /// <exception cref="DatasetFormatException">Naming the first file that cannot be decoded or is over a limit.</exception>
    public static ImageDataset DecodeImages(IReadOnlyList<(string Name, byte[] Bytes)> files, int size, int channels = 3,
        string className = "new images", InputLimits? limits = null)
    {
        if (files.Count == 0) throw new ArgumentException("no images given", nameof(files));
        limits = (limits ?? InputLimits.Default).Validate();
        RequireUploadWithinLimits(files, limits);
        var imageBytes = channels * size * size;
        limits.RequireLoadMemory(files[0].Name, $"an upload of {files.Count} images",
            (long)files.Count * imageBytes + limits.MaxImagePixels * ImageDecoding.DecodeBytesPerPixel);
        var pixels = new byte[(long)files.Count * imageBytes];
        for (var i = 0; i < files.Count; i++)
        {
            try
            {
                ImageDecoding.DecodeSquare(files[i].Bytes, size, channels, limits, files[i].Name).CopyTo(pixels, (long)i * imageBytes);
            }
            catch (FormatException e)
            {
                throw new DatasetFormatException(files[i].Name, $"cannot decode image: {e.Message}", e);
            }
        }
        return new ImageDataset("uploaded images", pixels, files.Count, channels, size, size, new int[files.Count], [className]);
    }

    /// <summary>Refuses more files than <see cref="InputLimits.MaxImages"/>, a file over <see cref="InputLimits.MaxImageFileBytes"/>, or more than <see cref="InputLimits.MaxUploadBytes"/> in all.</summary>
    private static void RequireUploadWithinLimits(IReadOnlyList<(string Name, byte[] Bytes)> files, InputLimits limits)
    {
        limits.RequireImageCount(files[0].Name, files.Count);
        var total = 0L;
        foreach (var (name, bytes) in files)
        {
            if (bytes.LongLength > limits.MaxImageFileBytes)
                throw InputLimits.Exceeded(name, $"an image file of {bytes.LongLength} bytes", limits.MaxImageFileBytes, "bytes",
                    nameof(InputLimits.MaxImageFileBytes));
            total += bytes.LongLength;
            if (total > limits.MaxUploadBytes)
                throw InputLimits.Exceeded(name, $"an upload reaching {total} bytes", limits.MaxUploadBytes,
                    "bytes", nameof(InputLimits.MaxUploadBytes));
        }
    }

    /// <summary>A copy of <paramref name="dataset"/> with 1 or 3 channels (grey is replicated; RGB becomes luminance).</summary>
    public static ImageDataset WithChannels(ImageDataset dataset, int channels)
    {
        if (channels == dataset.Channels) return dataset;
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), "channels must be 1 or 3");
        var plane = dataset.Height * dataset.Width;
        var pixels = new byte[(long)dataset.Count * channels * plane];
        for (var n = 0; n < dataset.Count; n++)
        {
            var source = dataset.Image(n);
            var target = pixels.AsSpan(n * channels * plane, channels * plane);
            for (var p = 0; p < plane; p++)
            {
                if (channels == 3)
                    target[p] = target[plane + p] = target[2 * plane + p] = source[p];
                else
                    target[p] = (byte)Math.Round(0.299 * source[p] + 0.587 * source[plane + p] + 0.114 * source[2 * plane + p]);
            }
        }
        return new ImageDataset(dataset.Name, pixels, dataset.Count, channels, dataset.Height, dataset.Width,
            dataset.Labels, dataset.ClassNames, dataset.SourceIndices);
    }

    /// <summary>Image <paramref name="index"/> as an RGBA bitmap (grey images repeat their one channel); the caller disposes it.</summary>
    internal static SKBitmap ToBitmap(ImageDataset dataset, int index) => ToBitmap(dataset.Image(index), dataset.Channels, dataset.Height, dataset.Width);

    private static SKBitmap ToBitmap(ReadOnlySpan<byte> image, int channels, int height, int width)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var target = bitmap.GetPixelSpan();
        var plane = height * width;
        for (var p = 0; p < plane; p++)
        {
            target[p * 4] = image[p];
            target[p * 4 + 1] = image[channels == 3 ? plane + p : p];
            target[p * 4 + 2] = image[channels == 3 ? 2 * plane + p : p];
            target[p * 4 + 3] = 255;
        }
        return bitmap;
    }
}
