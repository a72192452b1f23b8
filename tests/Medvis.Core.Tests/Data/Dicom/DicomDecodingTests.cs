using Medvis.Core.Data;
using Medvis.Core.Data.Dicom;
using SkiaSharp;

namespace Medvis.Core.Tests.Data.Dicom;

/// <summary>
/// Generated DICOM files decoded at their own size (no resampling), so every pixel can be checked against values
/// worked out by hand from the window formula of PS3.3 C.11.2.1.2.1.
/// </summary>
public sealed class DicomDecodingTests
{
    private static byte[] Decode(byte[] file, int size, DicomWindow? window = null, int channels = 1) =>
        ImageDecoding.DecodeSquare(file, size, channels, InputLimits.Default, "test.dcm", window);

    /// <summary>Stored 12-bit values that slope 2, intercept −1024 turn into −1024, −160, −100, 0, 100, 240 and 1000.</summary>
    private static readonly int[] Stored = [0, 432, 462, 512, 562, 632, 1012, 0, 432, 462, 512, 562, 632, 1012, 512, 512];

    /// <summary>The same values through the window 40/400: low edge −160, high edge 239.</summary>
    private static readonly byte[] Windowed = [0, 0, 38, 102, 166, 255, 255, 0, 0, 38, 102, 166, 255, 255, 102, 102];

    private static DicomWriter TwelveBitImage(string syntax)
    {
        // Bits above the 12 stored ones carry junk (overlay bits in old files) that must be masked off.
        var raw = DicomWriter.Samples16(Stored.Select(s => s | 0xA000));
        var writer = new DicomWriter { TransferSyntax = syntax }
            .Image(4, 4, bitsAllocated: 16, bitsStored: 12)
            .Text(DicomWriter.RescaleSlope, "DS", "2").Text(DicomWriter.RescaleIntercept, "DS", "-1024")
            .Text(DicomWriter.WindowCenter, "DS", "40\\-600").Text(DicomWriter.WindowWidth, "DS", "400\\1600")
            .Text(DicomWriter.Modality, "CS", "CT")
            .NestedSequence(0x0008_1140, depth: 3);
        return syntax == DicomWriter.Rle ? writer.Fragments([DicomWriter.RleFrame(raw, 16, 1, 2)]) : writer.NativePixels(raw);
    }

    [Theory]
    [InlineData(DicomWriter.ImplicitLittle)]
    [InlineData(DicomWriter.ExplicitLittle)]
    [InlineData(DicomWriter.DeflatedLittle)]
    [InlineData(DicomWriter.Rle)]
    public void EveryTransferSyntaxGivesTheRescaledPixelsThroughTheFirstWindow(string syntax)
    {
        Assert.Equal(Windowed, Decode(TwelveBitImage(syntax).Build(), 4));
    }

    [Fact]
    public void AnIconWithEncapsulatedPixelsInsideASequenceIsSkipped()
    {
        var file = new DicomWriter().Image(2, 2, 8, 8).IconSequence().NativePixels([10, 20, 30, 110]).Build();

        Assert.Equal([0, 26, 51, 255], Decode(file, 2));
    }

    [Fact]
    public void WithoutAWindowTheImageRunsFromItsMinimumToItsMaximumAndMonochrome1IsInverted()
    {
        byte[] Image(string photometric) => new DicomWriter().Image(2, 2, 8, 8, photometric: photometric).NativePixels([10, 20, 30, 110]).Build();

        Assert.Equal([0, 26, 51, 255], Decode(Image("MONOCHROME2"), 2));
        Assert.Equal([255, 229, 204, 0], Decode(Image("MONOCHROME1"), 2));
    }

    [Fact]
    public void SignedTwelveBitValuesAreSignExtended()
    {
        var file = new DicomWriter().Image(2, 2, 16, 12, signed: true).NativePixels(DicomWriter.Samples16([0x800, 0xFFF, 0, 0x7FF])).Build();

        // −2048, −1, 0, 2047 from minimum to maximum.
        Assert.Equal([0, 127, 128, 255], Decode(file, 2));
    }

    [Fact]
    public void SignedSixteenBitValuesAreRescaledThenWindowed()
    {
        var file = new DicomWriter().Image(2, 2, 16, 16, signed: true)
            .Text(DicomWriter.RescaleSlope, "DS", "0.5").Text(DicomWriter.RescaleIntercept, "DS", "10")
            .Text(DicomWriter.WindowCenter, "DS", "10").Text(DicomWriter.WindowWidth, "DS", "1001")
            .NativePixels(DicomWriter.Samples16([-1000, -24, 0, 1000])).Build();

        // −490, −2, 10 and 510 through the window −490.5 … 509.5.
        Assert.Equal([0, 125, 128, 255], Decode(file, 2));
    }

    [Fact]
    public void ADatasetWindowOverridesTheFilesAndMinMaxIgnoresIt()
    {
        var file = new DicomWriter().Image(2, 2, 8, 8)
            .Text(DicomWriter.WindowCenter, "DS", "100").Text(DicomWriter.WindowWidth, "DS", "100")
            .NativePixels([0, 50, 100, 200]).Build();

        Assert.Equal([0, 0, 129, 255], Decode(file, 2));
        Assert.Equal([1, 129, 255, 255], Decode(file, 2, DicomWindow.Parse("50,101")));
        Assert.Equal([0, 64, 128, 255], Decode(file, 2, DicomWindow.Parse("minmax")));
    }

    [Fact]
    public void RgbIsReadInterleavedPlanarAndRunLengthEncoded()
    {
        byte[] interleaved = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30];
        byte[] planes = [255, 0, 0, 10, 0, 255, 0, 20, 0, 0, 255, 30];
        DicomWriter Rgb(int planar, string syntax = DicomWriter.ExplicitLittle) =>
            new DicomWriter { TransferSyntax = syntax }.Image(2, 2, 8, 8, photometric: "RGB", samples: 3, planar: planar);

        Assert.Equal(planes, Decode(Rgb(0).NativePixels(interleaved).Build(), 2, channels: 3));
        Assert.Equal(planes, Decode(Rgb(1).NativePixels(planes).Build(), 2, channels: 3));
        Assert.Equal(planes, Decode(Rgb(0, DicomWriter.Rle).Fragments([DicomWriter.RleFrame(planes, 4, 3, 1)]).Build(), 2, channels: 3));
    }

    [Fact]
    public void JpegBaselineGreyGoesThroughTheWindowAndColourIsKept()
    {
        static SKColor Shade(int x, int y) => new((byte)(x * 30 + y * 2), (byte)(x * 30 + y * 2), (byte)(x * 30 + y * 2));
        // Centre 128, width 256 maps 0…255 onto itself, so the decoded values are the JPEG's own.
        var grey = new DicomWriter { TransferSyntax = DicomWriter.JpegBaseline }.Image(8, 8, 8, 8)
            .Text(DicomWriter.WindowCenter, "DS", "128").Text(DicomWriter.WindowWidth, "DS", "256")
            .Fragments([DicomWriter.Jpeg(8, 8, Shade, grey: true)]).Build();
        var inverted = new DicomWriter { TransferSyntax = DicomWriter.JpegBaseline }.Image(8, 8, 8, 8, photometric: "MONOCHROME1")
            .Text(DicomWriter.WindowCenter, "DS", "128").Text(DicomWriter.WindowWidth, "DS", "256")
            .Fragments([DicomWriter.Jpeg(8, 8, Shade, grey: true)]).Build();
        var colour = new DicomWriter { TransferSyntax = DicomWriter.JpegBaseline }.Image(8, 8, 8, 8, photometric: "YBR_FULL_422", samples: 3)
            .Fragments([DicomWriter.Jpeg(8, 8, (_, _) => new SKColor(200, 40, 60), grey: false)]).Build();

        var pixels = Decode(grey, 8);
        var flipped = Decode(inverted, 8);
        for (var y = 0; y < 8; y++)
            for (var x = 0; x < 8; x++)
            {
                Assert.InRange(pixels[y * 8 + x], x * 30 + y * 2 - 4, x * 30 + y * 2 + 4);
                Assert.Equal(255 - pixels[y * 8 + x], flipped[y * 8 + x]);
            }
        var rgb = Decode(colour, 8, channels: 3);
        Assert.All(rgb[..64], r => Assert.InRange(r, 194, 206));
        Assert.All(rgb[64..128], g => Assert.InRange(g, 34, 46));
        Assert.All(rgb[128..], b => Assert.InRange(b, 54, 66));
    }

    [Fact]
    public void MultiFrameFilesShowTheirFirstFrame()
    {
        var native = new DicomWriter().Image(2, 2, 8, 8, frames: 2).NativePixels([0, 100, 200, 250, 9, 9, 9, 9]).Build();
        var rle = new DicomWriter { TransferSyntax = DicomWriter.Rle }.Image(2, 2, 8, 8, frames: 2)
            .Fragments([DicomWriter.RleFrame([0, 100, 200, 250], 4, 1, 1), DicomWriter.RleFrame([250, 250, 0, 0], 4, 1, 1)], offsetTable: true).Build();

        Assert.Equal([0, 102, 204, 255], Decode(native, 2));
        Assert.Equal([0, 102, 204, 255], Decode(rle, 2));
    }

    [Theory]
    [InlineData(DicomWriter.JpegLossless, 1, 0)]
    [InlineData(DicomWriter.JpegLossless, 4, 0)]
    [InlineData(DicomWriter.JpegLossless, 7, 2)]
    [InlineData(DicomWriter.JpegLosslessFirstOrder, 1, 1)]
    public void JpegLosslessGivesTheSameWindowedPixelsWithEveryPredictorAndRestarts(string syntax, int predictor, int restartRows)
    {
        var raw = Stored.ToArray();
        var file = new DicomWriter { TransferSyntax = syntax }
            .Image(4, 4, bitsAllocated: 16, bitsStored: 12)
            .Text(DicomWriter.RescaleSlope, "DS", "2").Text(DicomWriter.RescaleIntercept, "DS", "-1024")
            .Text(DicomWriter.WindowCenter, "DS", "40").Text(DicomWriter.WindowWidth, "DS", "400")
            .Fragments([DicomWriter.JpegLosslessFrame(raw, 4, 4, 1, 12, predictor, restartRows)]).Build();

        Assert.Equal(Windowed, Decode(file, 4));
    }

    [Fact]
    public void JpegLosslessSixteenBitSignedAndColourDecodeExactly()
    {
        int[] signed = [0xFC18, 0xFFE8, 0, 1000];
        var grey = new DicomWriter { TransferSyntax = DicomWriter.JpegLossless }.Image(2, 2, 16, 16, signed: true)
            .Text(DicomWriter.RescaleSlope, "DS", "0.5").Text(DicomWriter.RescaleIntercept, "DS", "10")
            .Text(DicomWriter.WindowCenter, "DS", "10").Text(DicomWriter.WindowWidth, "DS", "1001")
            .Fragments([DicomWriter.JpegLosslessFrame(signed, 2, 2, 1, 16, 6)]).Build();
        int[] planes = [255, 0, 0, 10, 0, 255, 0, 20, 0, 0, 255, 30];
        var colour = new DicomWriter { TransferSyntax = DicomWriter.JpegLossless }.Image(2, 2, 8, 8, photometric: "RGB", samples: 3)
            .Fragments([DicomWriter.JpegLosslessFrame(planes, 2, 2, 3, 8, 5)]).Build();

        Assert.Equal([0, 125, 128, 255], Decode(grey, 2));
        Assert.Equal(planes.Select(p => (byte)p), Decode(colour, 2, channels: 3));
    }

    [Theory]
    [InlineData(DicomWriter.ExplicitBig, "DICOM transfer syntax 1.2.840.10008.1.2.2 (explicit VR big endian) is not supported")]
    [InlineData(DicomWriter.Jpeg2000, "DICOM transfer syntax 1.2.840.10008.1.2.4.90 (JPEG 2000 lossless) is not supported")]
    [InlineData("1.2.3.4.5", "DICOM transfer syntax 1.2.3.4.5 is not supported")]
    public void UnsupportedTransferSyntaxesAreRefusedByName(string syntax, string problem)
    {
        var file = new DicomWriter { TransferSyntax = syntax }.Image(2, 2, 8, 8).NativePixels([1, 2, 3, 4]).Build();

        var error = Assert.Throws<FormatException>(() => Decode(file, 2));

        Assert.StartsWith(problem, error.Message);
        Assert.EndsWith("(supported: implicit VR little endian, explicit VR little endian, deflated explicit VR little endian, RLE lossless, JPEG baseline, JPEG lossless, JPEG lossless first-order)", error.Message);
    }

    [Theory]
    [InlineData(8, 8, 1, "MONOCHROME2", 4)]
    [InlineData(32, 32, 1, "MONOCHROME2", "32 bits allocated are not supported (8 or 16)")]
    [InlineData(8, 8, 1, "PALETTE COLOR", "photometric interpretation PALETTE COLOR is not supported for grey images (MONOCHROME1 or MONOCHROME2)")]
    [InlineData(16, 16, 3, "RGB", "colour images of 16 bits are not supported (8)")]
    public void UnsupportedPixelLayoutsAreRefusedByName(int allocated, int stored, int samples, string photometric, object expected)
    {
        var file = new DicomWriter().Image(2, 2, allocated, stored, photometric: photometric, samples: samples).NativePixels(new byte[2 * 2 * samples * allocated / 8]).Build();

        if (expected is int size)
        {
            Assert.Equal(size, Decode(file, 2).Length);
            return;
        }
        Assert.Equal(expected, Assert.Throws<FormatException>(() => Decode(file, 2)).Message);
    }
}
