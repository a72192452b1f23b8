using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace Medvis.Core.Tests.Data.Hostile;

/// <summary>
/// Small encoded images whose headers lie or whose bytes are broken, built byte by byte so that no large file is
/// ever written: a header may claim 60000×60000 pixels while the file holds a few dozen bytes.
/// </summary>
internal static class HostileImages
{
    /// <summary>A valid PNG (signature, IHDR, one IDAT of a few deflated bytes, IEND) whose header claims the given size.</summary>
    public static byte[] PngClaiming(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // RGB
        WritePngChunk(stream, "IHDR", header);
        WritePngChunk(stream, "IDAT", Zlib(new byte[64]));
        WritePngChunk(stream, "IEND", []);
        return stream.ToArray();
    }

    /// <summary>A real solid-colour image of the given size and format, encoded by SkiaSharp.</summary>
    public static byte[] Encoded(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(new SKColor(120, 30, 200));
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>A real small JPEG whose frame header (SOF0) is rewritten to claim the given size.</summary>
    public static byte[] JpegClaiming(int width, int height)
    {
        var jpeg = Encoded(16, 16, SKEncodedImageFormat.Jpeg);
        for (var i = 2; i + 8 < jpeg.Length; i++)
        {
            if (jpeg[i] != 0xFF || jpeg[i + 1] != 0xC0) continue;
            BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 5), (ushort)height);
            BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 7), (ushort)width);
            return jpeg;
        }
        throw new InvalidOperationException("the encoder wrote no baseline frame header");
    }

    /// <summary>A BMP file and info header claiming the given size and 24 bits per pixel, with no pixel data.</summary>
    public static byte[] BmpClaiming(int width, int height)
    {
        var bytes = new byte[54];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(28), 24);
        return bytes;
    }

    /// <summary>A GIF whose screen and single frame claim the given size, with one tiny LZW block.</summary>
    public static byte[] GifClaiming(ushort width, ushort height)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("GIF89a"u8.ToArray());
        writer.Write(width);
        writer.Write(height);
        writer.Write([(byte)0x80, (byte)0, (byte)0]);         // global colour table of 2 entries
        writer.Write(new byte[] { 0, 0, 0, 255, 255, 255 });
        writer.Write((byte)0x2C);
        writer.Write((ushort)0);
        writer.Write((ushort)0);
        writer.Write(width);
        writer.Write(height);
        writer.Write((byte)0);
        writer.Write([(byte)2, (byte)2, (byte)0x4C, (byte)0x01, (byte)0]); // LZW min code size 2, one block
        writer.Write((byte)0x3B);
        return stream.ToArray();
    }

    /// <summary>A little-endian TIFF header pointing at a directory that claims <paramref name="entries"/> entries but holds none.</summary>
    public static byte[] TiffWithDirectoryOf(ushort entries)
    {
        var bytes = new byte[8 + 2 + 12 * 4];
        "II*\0"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), entries);
        return bytes;
    }

    /// <summary>A TIFF whose directory is placed past the end of the file.</summary>
    public static byte[] TiffWithDirectoryPastTheEnd()
    {
        var bytes = new byte[16];
        "II*\0"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 0x7FFF_0000);
        return bytes;
    }

    /// <summary>A TIFF directory with the given tags (type LONG, one value each, or a count pointing elsewhere).</summary>
    public static byte[] Tiff(params (ushort Tag, ushort Type, uint Count, uint Value)[] tags)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("II"u8.ToArray());
        writer.Write((ushort)42);
        writer.Write(8u);
        writer.Write((ushort)tags.Length);
        foreach (var (tag, type, count, value) in tags)
        {
            writer.Write(tag);
            writer.Write(type);
            writer.Write(count);
            writer.Write(value);
        }
        writer.Write(0u);
        writer.Write(new byte[64]);
        return stream.ToArray();
    }

    /// <summary>Deterministic bytes that are no image format.</summary>
    public static byte[] Noise(int length)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    private static void WritePngChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        stream.Write(crc);
    }

    private static byte[] Zlib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true)) zlib.Write(data);
        return output.ToArray();
    }

    /// <summary>CRC-32 as PNG chunks use it (ISO 3309, reflected polynomial 0xEDB88320).</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFF_FFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320u : crc >> 1;
        }
        return ~crc;
    }
}
