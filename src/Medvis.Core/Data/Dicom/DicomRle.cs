using System.Buffers.Binary;

namespace Medvis.Core.Data.Dicom;

/// <summary>
/// RLE lossless (PS3.5 annex G): a 64-byte header of segment offsets, then one PackBits-coded segment per byte of
/// each sample, most significant byte first. Decodes to planar samples (all of sample 0, then sample 1 …), little
/// endian, which is how <see cref="DicomPixelDecoder"/> reads them.
/// </summary>
internal static class DicomRle
{
    /// <summary>Decodes one frame of <paramref name="pixels"/> pixels with <paramref name="samples"/> samples of <paramref name="bytesPerSample"/> bytes.</summary>
    /// <exception cref="FormatException">For a header that does not match the image or offsets outside the frame.</exception>
    public static byte[] Decode(byte[] frame, int pixels, int samples, int bytesPerSample)
    {
        if (frame.Length < 64) throw new FormatException($"the RLE frame is {frame.Length} bytes, shorter than its 64-byte header");
        var segments = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        if (segments != samples * bytesPerSample)
            throw new FormatException($"the RLE header names {segments} segments where {samples} samples of {bytesPerSample} bytes need {samples * bytesPerSample}");
        var output = new byte[(long)pixels * samples * bytesPerSample];
        for (var s = 0; s < segments; s++)
        {
            var start = BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(4 + 4 * s));
            var end = s + 1 < segments ? BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(8 + 4 * s)) : (uint)frame.Length;
            if (start < 64 || end > frame.Length || end < start)
                throw new FormatException($"RLE segment {s + 1} lies outside the frame ({start}–{end} of {frame.Length} bytes)");
            var sample = s / bytesPerSample;
            // Segments come most significant byte first; little-endian samples put that byte last.
            var byteInSample = bytesPerSample - 1 - s % bytesPerSample;
            var plane = output.AsSpan((int)((long)sample * pixels * bytesPerSample), pixels * bytesPerSample);
            Unpack(frame.AsSpan((int)start, (int)(end - start)), plane, byteInSample, bytesPerSample);
        }
        return output;
    }

    /// <summary>PackBits into every <paramref name="stride"/>-th byte of <paramref name="plane"/>, from <paramref name="first"/>; stops when it is full.</summary>
    private static void Unpack(ReadOnlySpan<byte> segment, Span<byte> plane, int first, int stride)
    {
        var target = first;
        var i = 0;
        while (i < segment.Length && target < plane.Length)
        {
            var control = (sbyte)segment[i++];
            if (control >= 0)
            {
                for (var k = 0; k <= control && i < segment.Length && target < plane.Length; k++, target += stride) plane[target] = segment[i++];
            }
            else if (control != -128)
            {
                if (i >= segment.Length) break;
                var value = segment[i++];
                for (var k = 0; k < 1 - control && target < plane.Length; k++, target += stride) plane[target] = value;
            }
        }
        if (target < plane.Length) throw new FormatException("an RLE segment ends before its image is complete");
    }
}
