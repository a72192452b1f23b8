using Medvis.Core.Data;
using Medvis.Core.Tests.Data.Dicom;

namespace Medvis.Core.Tests.Data.Hostile;

/// <summary>
/// DICOM files that lie about lengths and sizes, nest without end, are cut short or name what is not supported,
/// each in a class folder of its own and through the upload path, made by <see cref="DicomWriter"/>.
/// </summary>
internal static class HostileDicom
{
    public static IEnumerable<HostileCase> Cases()
    {
        var good = Grey().Build();
        yield return Case("dicom-truncated-in-the-pixels", good[..(good.Length - 10)], "past the end of the file");
        yield return Case("dicom-truncated-in-the-header", good[..150], "the file ends inside an element header");
        yield return Case("dicom-preamble-only", good[..132], "names no transfer syntax");
        yield return Case("dicom-element-claims-2-gb", Grey(lie: (TextValue, 0x7FFF_FFF0)).Build(), "claims 2147483632 bytes, past the end of the file");
        yield return Case("dicom-pixel-data-claims-4-gb-defined", Grey(lie: (DicomWriter.PixelData, 0xFFFF_FFF0)).Build(), "claims 4294967280 bytes");
        yield return Case("dicom-claims-65535-square", new DicomWriter().Image(65535, 65535, 16, 16).NativePixels(new byte[64]).Build(), "MaxImagePixels");
        yield return Case("dicom-zero-rows", new DicomWriter().Image(0, 4, 8, 8).NativePixels(new byte[16]).Build(), "has no pixels");
        yield return Case("dicom-fewer-pixels-than-claimed", new DicomWriter().Image(400, 400, 16, 16).NativePixels(new byte[64]).Build(), "fewer than the 320000");
        yield return Case("dicom-unknown-transfer-syntax", new DicomWriter { TransferSyntax = "1.2.3.999" }.Image(2, 2, 8, 8).NativePixels([1, 2, 3, 4]).Build(),
            "DICOM transfer syntax 1.2.3.999 is not supported");
        yield return Case("dicom-big-endian", new DicomWriter { TransferSyntax = DicomWriter.ExplicitBig }.Image(2, 2, 8, 8).NativePixels([1, 2, 3, 4]).Build(),
            "(explicit VR big endian) is not supported");
        yield return Case("dicom-sequences-nested-10000-deep", Grey().NestedSequence(0x0008_1140, 10_000).Build(), "nested deeper than 32 levels");
        yield return Case("dicom-implicit-sequences-nested-10000-deep",
            Grey(DicomWriter.ImplicitLittle).NestedSequence(0x0008_1140, 10_000).Build(), "nested deeper than 32 levels");
        yield return Case("dicom-sequence-never-ends", Unterminated(Grey().NestedSequence(0x0008_1140, 1).Build()), "the file ends inside");
        yield return Case("dicom-truncated-fragment", Rle()[..^12], "a pixel data fragment claims");
        yield return Case("dicom-fragments-without-delimiter", Rle()[..^8], "the file ends inside the encapsulated pixel data");
        yield return Case("dicom-rle-segment-outside-the-frame", RleWithSegmentAt(4000), "lies outside the frame");
        yield return Case("dicom-jpeg-fragment-of-noise", new DicomWriter { TransferSyntax = DicomWriter.JpegBaseline }.Image(8, 8, 8, 8)
            .Fragments([HostileImages.Noise(256)]).Build(), "the JPEG baseline frame cannot be decoded");
        var lossless = DicomWriter.JpegLosslessFrame(Enumerable.Range(0, 64).Select(i => i * 61 % 4096).ToArray(), 8, 8, 1, 12, 1);
        yield return Case("dicom-jpeg-lossless-truncated-scan", JpegLossless(8, lossless[..^20]), "the JPEG lossless scan");
        var huge = lossless.ToArray();
        var sof = huge.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xC3]);
        huge[sof + 5] = huge[sof + 6] = huge[sof + 7] = huge[sof + 8] = 0xFF;
        yield return Case("dicom-jpeg-lossless-claims-65535-square", JpegLossless(8, huge), "MaxImagePixels");
        yield return Case("dicom-no-pixel-data", new DicomWriter().Image(2, 2, 8, 8).Build(), "holds no pixel data");
        yield return new HostileCase("dicom-deflate-bomb", folder => Write(folder, "dicom-deflate-bomb",
            new DicomWriter { TransferSyntax = DicomWriter.DeflatedLittle }.Image(2048, 2048, 16, 16).NativePixels(new byte[8 << 20]).Build()),
            "MaxCompressionRatio", new InputLimits { CompressionRatioFreeBytes = 1 << 20 });
    }

    /// <summary>Text Value, an unlimited text (UT) whose length takes 4 bytes.</summary>
    private const uint TextValue = 0x0040_A160;

    private static DicomWriter Grey(string syntax = DicomWriter.ExplicitLittle, (uint Tag, uint Length)? lie = null) =>
        new DicomWriter { TransferSyntax = syntax, LengthLie = lie }.Image(4, 4, 8, 8).Text(DicomWriter.Modality, "CS", "CT")
            .Text(TextValue, "UT", "a report").NativePixels(new byte[16]);

    private static byte[] Rle() =>
        new DicomWriter { TransferSyntax = DicomWriter.Rle }.Image(4, 4, 8, 8).Fragments([DicomWriter.RleFrame(new byte[16], 16, 1, 1)]).Build();

    private static byte[] JpegLossless(int side, byte[] frame) =>
        new DicomWriter { TransferSyntax = DicomWriter.JpegLossless }.Image(side, side, 16, 12).Fragments([frame]).Build();

    private static byte[] RleWithSegmentAt(uint offset)
    {
        var frame = DicomWriter.RleFrame(new byte[16], 16, 1, 1);
        BitConverter.GetBytes(offset).CopyTo(frame, 4);
        return new DicomWriter { TransferSyntax = DicomWriter.Rle }.Image(4, 4, 8, 8).Fragments([frame]).Build();
    }

    /// <summary>The file with its sequence's item and sequence delimiters (and all after them) cut off.</summary>
    private static byte[] Unterminated(byte[] file)
    {
        var delimiter = file.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFE, 0xFF, 0x0D, 0xE0]);
        return file[..delimiter];
    }

    private static HostileCase Case(string name, byte[] bytes, string refusal) =>
        new(name, folder => Write(folder, name, bytes), refusal, Upload: bytes);

    private static string Write(string folder, string name, byte[] bytes)
    {
        var root = Path.Combine(folder, name);
        Directory.CreateDirectory(Path.Combine(root, "cells"));
        File.WriteAllBytes(Path.Combine(root, "cells", name + ".dcm"), bytes);
        return root;
    }
}
