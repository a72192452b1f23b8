using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace Medvis.Core.Data;

/// <summary>
/// Baseline TIFF reader for what microscopy exports usually are and SkiaSharp cannot read: the first image
/// of the file, strips, chunky samples, 8 or 16 bits, grey (1 sample) or RGB(A) (3–4 samples), uncompressed,
/// LZW, Deflate or PackBits, with or without the horizontal predictor. The directory's entry count, every value
/// array and the image size are checked against the file's length and the <see cref="InputLimits"/> before use.
/// </summary>
internal static class TiffDecoder
{
    private const ushort ImageWidth = 256, ImageLength = 257, BitsPerSample = 258, Compression = 259,
        Photometric = 262, StripOffsets = 273, SamplesPerPixel = 277, RowsPerStrip = 278, StripByteCounts = 279,
        PlanarConfiguration = 284, Predictor = 317, TileWidth = 322;

    /// <summary>Whether the bytes start with a TIFF byte-order mark ("II*\0" or "MM\0*").</summary>
    public static bool LooksLikeTiff(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 8 && ((bytes[0] == 'I' && bytes[1] == 'I' && bytes[2] == 42 && bytes[3] == 0)
                              || (bytes[0] == 'M' && bytes[1] == 'M' && bytes[2] == 0 && bytes[3] == 42));

    /// <summary>Decodes the first image to an RGBA bitmap.</summary>
    /// <exception cref="FormatException">For malformed or unsupported TIFF files.</exception>
    /// <exception cref="DatasetFormatException">When the directory or the image is larger than <paramref name="limits"/> allow.</exception>
    public static SKBitmap Decode(byte[] bytes, InputLimits limits, string path)
    {
        try
        {
            var tags = ReadFirstDirectory(bytes, bytes[0] == 'M', limits, path);
            return ToBitmap(tags, bytes, limits, path);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or InvalidDataException or OverflowException)
        {
            throw new FormatException("corrupt or truncated TIFF file", e);
        }
    }

    private sealed record Directory(bool BigEndian, Dictionary<ushort, long[]> Values)
    {
        public long One(ushort tag, long fallback) => Values.TryGetValue(tag, out var v) && v.Length > 0 ? v[0] : fallback;
        public long[] Many(ushort tag) => Values.TryGetValue(tag, out var v) ? v : throw new FormatException($"TIFF tag {tag} missing");
    }

    private static Directory ReadFirstDirectory(byte[] bytes, bool bigEndian, InputLimits limits, string path)
    {
        var offset = checked((int)U32(bytes, 4, bigEndian));
        var count = U16(bytes, offset, bigEndian);
        if (count > limits.MaxTiffDirectoryEntries)
            throw InputLimits.Exceeded(path, $"a TIFF directory of {count} entries", limits.MaxTiffDirectoryEntries,
                "entries", nameof(InputLimits.MaxTiffDirectoryEntries));
        if (offset + 2L + count * 12L > bytes.Length) throw new FormatException($"the TIFF directory of {count} entries runs past the end of the file");
        var values = new Dictionary<ushort, long[]>();
        for (var i = 0; i < count; i++)
        {
            var entry = offset + 2 + i * 12;
            var tag = U16(bytes, entry, bigEndian);
            var type = U16(bytes, entry + 2, bigEndian);
            var n = (long)U32(bytes, entry + 4, bigEndian);
            var size = type switch { 1 or 2 or 6 or 7 => 1, 3 or 8 => 2, 4 or 9 => 4, _ => 0 };
            if (size == 0) continue;
            var dataAt = size * n <= 4 ? entry + 8 : (long)U32(bytes, entry + 8, bigEndian);
            // A count is only believed when its values lie inside the file, so it can never size an allocation beyond it.
            if (dataAt + size * n > bytes.Length)
                throw new FormatException($"TIFF tag {tag} claims {n} values past the end of the file");
            var read = new long[n];
            var at = (int)dataAt;
            for (var k = 0; k < n; k++)
                read[k] = size switch { 1 => bytes[at + k], 2 => U16(bytes, at + 2 * k, bigEndian), _ => U32(bytes, at + 4 * k, bigEndian) };
            values[tag] = read;
        }
        return new Directory(bigEndian, values);
    }

    private static SKBitmap ToBitmap(Directory tiff, byte[] bytes, InputLimits limits, string path)
    {
        if (tiff.Values.ContainsKey(TileWidth)) throw new FormatException("tiled TIFF is not supported");
        if (tiff.One(PlanarConfiguration, 1) != 1) throw new FormatException("planar (non-interleaved) TIFF is not supported");
        var storedWidth = tiff.One(ImageWidth, 0);
        var storedHeight = tiff.One(ImageLength, 0);
        if (storedWidth <= 0 || storedHeight <= 0) throw new FormatException($"bad TIFF size {storedWidth}×{storedHeight}");
        limits.RequireImagePixels(path, storedWidth, storedHeight);
        var width = (int)storedWidth;
        var height = (int)storedHeight;
        var samples = (int)tiff.One(SamplesPerPixel, 1);
        var bits = (int)tiff.One(BitsPerSample, 8);
        if (bits is not (8 or 16)) throw new FormatException($"{bits}-bit TIFF is not supported (8 or 16 bits only)");
        if (samples is < 1 or > 4) throw new FormatException($"TIFF with {samples} samples per pixel is not supported");
        var photometric = tiff.One(Photometric, samples >= 3 ? 2 : 1);
        var bytesPerSample = bits / 8;
        var rowBytes = checked(width * samples * bytesPerSample);

        var raw = ReadStrips(tiff, bytes, rowBytes, height);
        if (tiff.One(Predictor, 1) == 2) UndoHorizontalPredictor(raw, width, height, samples, bytesPerSample, tiff.BigEndian);

        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var target = bitmap.GetPixelSpan();
        for (var p = 0; p < width * height; p++)
        {
            byte Sample(int s) => raw[(p * samples + s) * bytesPerSample + (bytesPerSample == 2 && !tiff.BigEndian ? 1 : 0)];
            byte r, g, b;
            if (samples >= 3) (r, g, b) = (Sample(0), Sample(1), Sample(2));
            else
            {
                var v = Sample(0);
                if (photometric == 0) v = (byte)(255 - v);
                r = g = b = v;
            }
            target[p * 4] = r;
            target[p * 4 + 1] = g;
            target[p * 4 + 2] = b;
            target[p * 4 + 3] = 255;
        }
        return bitmap;
    }

    private static byte[] ReadStrips(Directory tiff, byte[] bytes, int rowBytes, int height)
    {
        var offsets = tiff.Many(StripOffsets);
        var counts = tiff.Many(StripByteCounts);
        if (offsets.Length != counts.Length) throw new FormatException($"{offsets.Length} TIFF strip offsets but {counts.Length} strip sizes");
        var rowsPerStrip = (int)Math.Clamp(tiff.One(RowsPerStrip, height), 1, height);
        var compression = tiff.One(Compression, 1);
        var raw = new byte[checked(rowBytes * height)];
        var written = 0;
        var strips = Math.Min(offsets.Length, (height + rowsPerStrip - 1) / rowsPerStrip);
        for (var s = 0; s < strips && written < raw.Length; s++)
        {
            var strip = bytes.AsSpan(checked((int)offsets[s]), checked((int)counts[s]));
            var expected = Math.Min(rowBytes * rowsPerStrip, raw.Length - written);
            var decoded = compression switch
            {
                1 => strip.ToArray(),
                5 => Lzw(strip, expected),
                8 or 32946 => Inflate(strip, expected),
                32773 => PackBits(strip, expected),
                _ => throw new FormatException($"TIFF compression {compression} is not supported"),
            };
            var take = Math.Min(decoded.Length, expected);
            decoded.AsSpan(0, take).CopyTo(raw.AsSpan(written));
            written += take;
        }
        if (written < raw.Length) throw new FormatException("truncated TIFF pixel data");
        return raw;
    }

    private static void UndoHorizontalPredictor(byte[] raw, int width, int height, int samples, int bytesPerSample, bool bigEndian)
    {
        var rowBytes = width * samples * bytesPerSample;
        for (var y = 0; y < height; y++)
        {
            var row = raw.AsSpan(y * rowBytes, rowBytes);
            if (bytesPerSample == 1)
            {
                for (var i = samples; i < row.Length; i++) row[i] += row[i - samples];
                continue;
            }
            for (var i = samples; i < width * samples; i++)
            {
                var current = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(row[(2 * i)..]) : BinaryPrimitives.ReadUInt16LittleEndian(row[(2 * i)..]);
                var previous = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(row[(2 * (i - samples))..]) : BinaryPrimitives.ReadUInt16LittleEndian(row[(2 * (i - samples))..]);
                var sum = (ushort)(current + previous);
                if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(row[(2 * i)..], sum);
                else BinaryPrimitives.WriteUInt16LittleEndian(row[(2 * i)..], sum);
            }
        }
    }

    private static byte[] Inflate(ReadOnlySpan<byte> strip, int expected)
    {
        using var input = new MemoryStream(strip.ToArray());
        using var zlib = new ZLibStream(input, CompressionMode.Decompress);
        var output = new byte[expected];
        var read = 0;
        while (read < expected)
        {
            var n = zlib.Read(output, read, expected - read);
            if (n == 0) break;
            read += n;
        }
        return output;
    }

    private static byte[] PackBits(ReadOnlySpan<byte> strip, int expected)
    {
        var output = new List<byte>((int)Math.Min(expected, 2L * strip.Length));
        var i = 0;
        while (i < strip.Length && output.Count < expected)
        {
            var n = (sbyte)strip[i++];
            if (n >= 0)
            {
                for (var k = 0; k <= n && i < strip.Length; k++) output.Add(strip[i++]);
            }
            else if (n != -128 && i < strip.Length)
            {
                var value = strip[i++];
                for (var k = 0; k < 1 - n; k++) output.Add(value);
            }
        }
        return [.. output];
    }

    /// <summary>TIFF LZW: MSB-first codes of 9–12 bits, clear 256, end 257, width grows one code early.</summary>
    private static byte[] Lzw(ReadOnlySpan<byte> strip, int expected)
    {
        var output = new List<byte>((int)Math.Min(expected, 8L * strip.Length));
        var table = new List<byte[]>(4096);
        void Reset()
        {
            table.Clear();
            for (var c = 0; c < 256; c++) table.Add([(byte)c]);
            table.Add([]);
            table.Add([]);
        }
        Reset();
        int bitPosition = 0, width = 9;
        byte[]? previous = null;
        while (output.Count < expected && bitPosition + width <= strip.Length * 8)
        {
            var code = 0;
            for (var b = 0; b < width; b++, bitPosition++)
                code = (code << 1) | ((strip[bitPosition >> 3] >> (7 - (bitPosition & 7))) & 1);
            if (code == 257) break;
            if (code == 256)
            {
                Reset();
                width = 9;
                previous = null;
                continue;
            }
            byte[] entry;
            if (code < table.Count) entry = table[code];
            else if (code == table.Count && previous is not null) entry = [.. previous, previous[0]];
            else throw new InvalidDataException("bad LZW code");
            output.AddRange(entry);
            if (previous is not null && table.Count < 4096) table.Add([.. previous, entry[0]]);
            previous = entry;
            if (table.Count + 1 >= (1 << width) && width < 12) width++;
        }
        return [.. output];
    }

    private static ushort U16(byte[] b, int at, bool big) =>
        big ? BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at));

    private static uint U32(byte[] b, int at, bool big) =>
        big ? BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));
}
