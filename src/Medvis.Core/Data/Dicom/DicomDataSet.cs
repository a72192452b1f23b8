using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Medvis.Core.Data.Dicom;

/// <summary>
/// The top-level elements of one DICOM file as <see cref="DicomParser"/> found them: each value is a slice of the
/// file's (or the inflated data set's) bytes; sequences are skipped, never kept. Pixel data is either one native
/// block or the fragments of encapsulated data, with the basic offset table.
/// </summary>
internal sealed class DicomDataSet(DicomTransferSyntax syntax, byte[] bytes, Dictionary<uint, (int Offset, int Length)> elements,
    (int Offset, int Length)? nativePixels, IReadOnlyList<(int Offset, int Length)>? fragments, uint[] offsetTable)
{
    public const uint Rows = 0x0028_0010, Columns = 0x0028_0011, BitsAllocated = 0x0028_0100, BitsStored = 0x0028_0101,
        HighBit = 0x0028_0102, PixelRepresentation = 0x0028_0103, SamplesPerPixel = 0x0028_0002, Photometric = 0x0028_0004,
        PlanarConfiguration = 0x0028_0006, NumberOfFrames = 0x0028_0008, WindowCenter = 0x0028_1050, WindowWidth = 0x0028_1051,
        RescaleIntercept = 0x0028_1052, RescaleSlope = 0x0028_1053, PixelData = 0x7FE0_0010;

    /// <summary>The file's transfer syntax.</summary>
    public DicomTransferSyntax Syntax { get; } = syntax;

    /// <summary>The uncompressed pixel data, when the syntax is native.</summary>
    public ReadOnlySpan<byte> NativePixels => nativePixels is { } p ? bytes.AsSpan(p.Offset, p.Length) : [];

    /// <summary>Whether the file holds pixel data at all.</summary>
    public bool HasPixels => nativePixels is not null || fragments is { Count: > 0 };

    /// <summary>Whether an element is present (with any length).</summary>
    public bool Contains(uint tag) => elements.ContainsKey(tag);

    /// <summary>A text value without its padding (spaces, NULs), or null when absent or empty.</summary>
    public string? Text(uint tag)
    {
        if (!elements.TryGetValue(tag, out var slice)) return null;
        var text = Encoding.ASCII.GetString(bytes, slice.Offset, slice.Length).Trim(' ', '\0');
        return text.Length == 0 ? null : text;
    }

    /// <summary>An unsigned 16-bit value (US), or <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="FormatException">The element is too short to hold one.</exception>
    public int UShort(uint tag, int fallback)
    {
        if (!elements.TryGetValue(tag, out var slice)) return fallback;
        if (slice.Length < 2) throw new FormatException($"element {TagText(tag)} is {slice.Length} bytes long, too short for a number");
        return BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(slice.Offset, 2));
    }

    /// <summary>The first of a decimal (DS) or integer (IS) string's values, or null when absent, empty or not a number.</summary>
    public double? FirstNumber(uint tag)
    {
        var text = Text(tag);
        if (text is null) return null;
        var first = text.Split('\\')[0].Trim();
        return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;
    }

    /// <summary>
    /// The bytes of the first frame of encapsulated pixel data: the fragments before the basic offset table's second
    /// entry; without a table, the first fragment of a multi-frame file or all fragments of a single frame.
    /// </summary>
    public byte[] FirstEncapsulatedFrame(int frames)
    {
        if (fragments is not { Count: > 0 }) throw new FormatException("the encapsulated pixel data holds no fragments");
        var taken = new List<(int Offset, int Length)>();
        if (offsetTable.Length >= 2)
        {
            // Offsets count from the first fragment's item tag; each item adds its 8-byte header.
            var end = offsetTable[1];
            long position = 0;
            foreach (var fragment in fragments)
            {
                if (position >= end) break;
                taken.Add(fragment);
                position += 8 + fragment.Length;
            }
        }
        else if (frames > 1) taken.Add(fragments[0]);
        else taken.AddRange(fragments);
        var frame = new byte[taken.Sum(f => (long)f.Length)];
        var at = 0;
        foreach (var (offset, length) in taken)
        {
            bytes.AsSpan(offset, length).CopyTo(frame.AsSpan(at));
            at += length;
        }
        return frame;
    }

    /// <summary>
    /// A value read from a file as a message may show it: control and non-ASCII characters as '?', at most 64
    /// characters, so a damaged or hostile file cannot break a refusal's one line.
    /// </summary>
    public static string Printable(string value)
    {
        var shown = new string(value.Take(64).Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
        return value.Length > 64 ? shown + "…" : shown;
    }

    /// <summary>"(0028,0010)".</summary>
    public static string TagText(uint tag) => $"({tag >> 16:X4},{tag & 0xFFFF:X4})";
}
