using System.Buffers.Binary;
using SkiaSharp;

namespace Medvis.Core.Data.Dicom;

/// <summary>
/// Decodes the first frame of a 2-D DICOM file to an RGBA bitmap: grey images (MONOCHROME1/2, 8 or 16 bits
/// allocated, any bits stored, signed or unsigned) through Rescale Slope/Intercept and the window that
/// <see cref="DicomGreyMapping"/> chooses; RGB images (8 bits, planar configuration 0 or 1) as they are. Native,
/// RLE, JPEG baseline and JPEG lossless pixel data; later frames of a multi-frame file are ignored.
/// </summary>
internal static class DicomPixelDecoder
{
    /// <summary>Decodes <paramref name="file"/>; the image size is checked against <paramref name="limits"/> before any pixel is decoded.</summary>
    /// <exception cref="FormatException">For malformed, truncated or unsupported files.</exception>
    /// <exception cref="DatasetFormatException">When the image is larger than the limits allow.</exception>
    public static SKBitmap Decode(byte[] file, InputLimits limits, string path, DicomWindow window)
    {
        var data = DicomParser.Parse(file, limits, path);
        try
        {
            return Decode(data, limits, path, window);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            throw new FormatException($"corrupt DICOM pixel data ({e.Message})", e);
        }
    }

    private static SKBitmap Decode(DicomDataSet data, InputLimits limits, string path, DicomWindow window)
    {
        if (!data.HasPixels) throw new FormatException("the DICOM file holds no pixel data (7FE0,0010)");
        var layout = DicomPixelLayout.Read(data);
        limits.RequireImagePixels(path, layout.Columns, layout.Rows);
        var frames = (int)Math.Clamp(data.FirstNumber(DicomDataSet.NumberOfFrames) ?? 1, 1, int.MaxValue);
        var pixels = layout.Rows * layout.Columns;
        switch (data.Syntax.Pixels)
        {
            case DicomPixelEncoding.JpegBaseline:
                var jpeg = DecodeJpeg(data.FirstEncapsulatedFrame(frames), limits, path);
                if (layout.Samples == 3) return jpeg;
                using (jpeg)
                {
                    var red = new byte[jpeg.Width * jpeg.Height];
                    var rgba = jpeg.GetPixelSpan();
                    for (var p = 0; p < red.Length; p++) red[p] = rgba[p * 4];
                    return Grey(red, layout with { Rows = jpeg.Height, Columns = jpeg.Width, BitsAllocated = 8, BitsStored = 8, HighBit = 7 }, data, window);
                }
            case DicomPixelEncoding.JpegLossless:
                var (width, height, components, lossless) = DicomJpegLossless.Decode(data.FirstEncapsulatedFrame(frames), layout.BitsAllocated / 8, limits, path);
                if ((width, height, components) != (layout.Columns, layout.Rows, layout.Samples))
                    throw new FormatException($"the JPEG lossless frame is {width}×{height} with {components} components, the file says {layout.Columns}×{layout.Rows} with {layout.Samples}");
                return layout.Samples == 3 ? Rgb(lossless, layout, planar: true) : Grey(lossless, layout, data, window);
            case DicomPixelEncoding.Rle:
                var decoded = DicomRle.Decode(data.FirstEncapsulatedFrame(frames), pixels, layout.Samples, layout.BitsAllocated / 8);
                return layout.Samples == 3 ? Rgb(decoded, layout, planar: true) : Grey(decoded, layout, data, window);
            default:
                var native = data.NativePixels;
                var frameBytes = (long)pixels * layout.Samples * (layout.BitsAllocated / 8);
                if (native.Length < frameBytes)
                    throw new FormatException($"the pixel data holds {native.Length} bytes, fewer than the {frameBytes} of one {layout.Columns}×{layout.Rows} frame");
                var frame = native[..(int)frameBytes].ToArray();
                return layout.Samples == 3 ? Rgb(frame, layout, layout.PlanarConfiguration == 1) : Grey(frame, layout, data, window);
        }
    }

    /// <summary>Grey samples (8- or 16-bit little endian) → stored values → rescale and window, by table → bitmap.</summary>
    private static SKBitmap Grey(byte[] samples, DicomPixelLayout layout, DicomDataSet data, DicomWindow window)
    {
        var stored = new int[layout.Rows * layout.Columns];
        var shift = layout.HighBit + 1 - layout.BitsStored;
        var mask = (1 << layout.BitsStored) - 1;
        var sign = 1 << (layout.BitsStored - 1);
        int min = int.MaxValue, max = int.MinValue;
        for (var p = 0; p < stored.Length; p++)
        {
            int raw = layout.BitsAllocated == 8 ? samples[p] : BinaryPrimitives.ReadUInt16LittleEndian(samples.AsSpan(2 * p));
            var value = (raw >> shift) & mask;
            if (layout.Signed && (value & sign) != 0) value -= 1 << layout.BitsStored;
            stored[p] = value;
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }
        var center = data.FirstNumber(DicomDataSet.WindowCenter);
        var width = data.FirstNumber(DicomDataSet.WindowWidth);
        (double, double)? fileWindow = center is { } c && width is { } w and >= 1 ? (c, w) : null;
        var table = DicomGreyMapping.Table(min, max, data.FirstNumber(DicomDataSet.RescaleSlope) ?? 1, data.FirstNumber(DicomDataSet.RescaleIntercept) ?? 0,
            fileWindow, window, layout.Photometric == "MONOCHROME1");
        var bitmap = Allocate(layout.Columns, layout.Rows);
        var target = bitmap.GetPixelSpan();
        for (var p = 0; p < stored.Length; p++)
        {
            var grey = table[stored[p] - min];
            target[4 * p] = target[4 * p + 1] = target[4 * p + 2] = grey;
            target[4 * p + 3] = 255;
        }
        return bitmap;
    }

    /// <summary>8-bit RGB, interleaved (R G B R G B …) or planar (all R, all G, all B).</summary>
    private static SKBitmap Rgb(byte[] samples, DicomPixelLayout layout, bool planar)
    {
        var pixels = layout.Rows * layout.Columns;
        var bitmap = Allocate(layout.Columns, layout.Rows);
        var target = bitmap.GetPixelSpan();
        for (var p = 0; p < pixels; p++)
        {
            for (var c = 0; c < 3; c++) target[4 * p + c] = planar ? samples[c * pixels + p] : samples[3 * p + c];
            target[4 * p + 3] = 255;
        }
        return bitmap;
    }

    private static SKBitmap DecodeJpeg(byte[] frame, InputLimits limits, string path)
    {
        using var data = SKData.CreateCopy(frame);
        using var codec = SKCodec.Create(data) ?? throw new FormatException("the JPEG baseline frame cannot be decoded (corrupt or truncated)");
        limits.RequireImagePixels(path, codec.Info.Width, codec.Info.Height, "the JPEG frame");
        var bitmap = Allocate(codec.Info.Width, codec.Info.Height);
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            bitmap.Dispose();
            throw new FormatException($"the JPEG baseline frame could not be decoded ({result})");
        }
        return bitmap;
    }

    private static SKBitmap Allocate(int width, int height)
    {
        var bitmap = new SKBitmap();
        if (bitmap.TryAllocPixels(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul))) return bitmap;
        bitmap.Dispose();
        throw new FormatException($"no memory for the {width}×{height} pixels of the image");
    }
}
