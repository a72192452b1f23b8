using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Medvis.Core.Data.Dicom;

/// <summary>
/// Reads a DICOM Part 10 file (128-byte preamble, "DICM", explicit VR little endian meta group) into a
/// <see cref="DicomDataSet"/>: the data set in explicit or implicit VR little endian, deflated or not, with native
/// or encapsulated pixel data. Sequences are walked only to be skipped, at most <see cref="MaxSequenceDepth"/> deep.
/// Every length is checked against the bytes that are left before it is used, and a deflated data set is inflated
/// only up to the <see cref="InputLimits"/>, so no claim in a file can make the reader allocate or loop beyond it.
/// </summary>
internal static class DicomParser
{
    /// <summary>Deepest nesting of sequences read; real files nest a few levels.</summary>
    public const int MaxSequenceDepth = 32;

    private const uint Item = 0xFFFE_E000, ItemDelimiter = 0xFFFE_E00D, SequenceDelimiter = 0xFFFE_E0DD, UndefinedLength = 0xFFFF_FFFF;
    private const int PreambleLength = 128;

    /// <summary>Whether the bytes start with the 128-byte preamble and "DICM".</summary>
    public static bool LooksLikeDicom(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= PreambleLength + 4 && bytes.Slice(PreambleLength, 4).SequenceEqual("DICM"u8);

    /// <summary>Parses the file's meta group and data set.</summary>
    /// <param name="file">The file's bytes; with <paramref name="headerOnly"/>, its first bytes are enough.</param>
    /// <param name="limits">Bounds on inflating a deflated data set.</param>
    /// <param name="path">The file named when a limit refuses it.</param>
    /// <param name="headerOnly">Stop at the pixel data without reading it (for the attributes alone).</param>
    /// <exception cref="FormatException">For malformed, truncated or unsupported files; the message names the problem.</exception>
    /// <exception cref="DatasetFormatException">When inflating the data set would pass the <paramref name="limits"/>.</exception>
    public static DicomDataSet Parse(byte[] file, InputLimits limits, string path, bool headerOnly = false)
    {
        if (!LooksLikeDicom(file)) throw new FormatException("not a DICOM file (no 128-byte preamble followed by \"DICM\")");
        try
        {
            var (uid, dataStart) = ReadMetaGroup(file);
            var syntax = DicomTransferSyntax.Find(uid)
                ?? throw new FormatException($"DICOM transfer syntax {DicomTransferSyntax.Describe(uid)} is not supported (supported: {DicomTransferSyntax.SupportedNames})");
            var bytes = syntax.Deflated ? Inflate(file, dataStart, limits, path) : file;
            var start = syntax.Deflated ? 0 : dataStart;
            return new Walker(bytes, syntax, headerOnly).ReadDataSet(start);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or InvalidDataException or OverflowException)
        {
            throw new FormatException($"corrupt or truncated DICOM file ({e.Message})", e);
        }
    }

    /// <summary>The transfer syntax UID and where the data set starts: the meta group is every group-2 element after "DICM".</summary>
    private static (string Uid, int DataStart) ReadMetaGroup(byte[] file)
    {
        var position = PreambleLength + 4;
        string? uid = null;
        // A group-2 element cut short is a truncated file, not the end of the group: ExplicitLength says so.
        while (position + 2 <= file.Length && BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(position)) == 0x0002)
        {
            var (length, header) = ExplicitLength(file, position);
            var element = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(position + 2));
            if (length == UndefinedLength || length > file.Length - position - header)
                throw new FormatException($"meta element (0002,{element:X4}) claims {length} bytes, past the end of the file");
            if (element == 0x0010) uid = Encoding.ASCII.GetString(file, position + header, (int)length).Trim(' ', '\0');
            position += header + (int)length;
        }
        return (uid ?? throw new FormatException("the DICOM meta information names no transfer syntax (0002,0010)"), position);
    }

    /// <summary>Value length and header size of the explicit VR element at <paramref name="position"/>.</summary>
    private static (uint Length, int Header) ExplicitLength(byte[] bytes, int position)
    {
        if (bytes.Length - position < 8) throw new FormatException("the file ends inside an element header");
        if (HasLongLength(bytes[position + 4], bytes[position + 5]))
        {
            if (bytes.Length - position < 12) throw new FormatException("the file ends inside an element header");
            return (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 8)), 12);
        }
        return (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(position + 6)), 8);
    }

    /// <summary>VRs whose length takes 4 bytes after 2 reserved ones (PS3.5 7.1.2).</summary>
    private static bool HasLongLength(byte a, byte b) => (char)a switch
    {
        'O' => b is (byte)'B' or (byte)'D' or (byte)'F' or (byte)'L' or (byte)'V' or (byte)'W',
        'S' => b is (byte)'Q' or (byte)'V',
        'U' => b is (byte)'C' or (byte)'R' or (byte)'T' or (byte)'N' or (byte)'V',
        _ => false,
    };

    /// <summary>
    /// Inflates a deflated data set (raw deflate, no zlib header), stopping at the image file size limit and at the
    /// zip bomb ratio the npz reader applies.
    /// </summary>
    private static byte[] Inflate(byte[] file, int start, InputLimits limits, string path)
    {
        var compressed = file.Length - start;
        var allowed = Math.Min(limits.MaxImageFileBytes, Math.Max(limits.CompressionRatioFreeBytes, (long)compressed * limits.MaxCompressionRatio));
        using var input = new DeflateStream(new MemoryStream(file, start, compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            if (output.Length + read > allowed)
                throw allowed == limits.MaxImageFileBytes
                    ? InputLimits.Exceeded(path, "the inflated DICOM data set", limits.MaxImageFileBytes, "bytes", nameof(InputLimits.MaxImageFileBytes))
                    : InputLimits.Exceeded(path, $"the deflated DICOM data set (over {allowed} bytes from {compressed})", limits.MaxCompressionRatio,
                        "× compression", nameof(InputLimits.MaxCompressionRatio));
            output.Write(buffer, 0, read);
        }
        return output.ToArray();
    }

    /// <summary>Walks the elements of one data set, keeping the top-level ones.</summary>
    private sealed class Walker(byte[] bytes, DicomTransferSyntax syntax, bool headerOnly)
    {
        private readonly Dictionary<uint, (int Offset, int Length)> _elements = [];
        private (int Offset, int Length)? _native;
        private List<(int Offset, int Length)>? _fragments;
        private uint[] _offsetTable = [];

        public DicomDataSet ReadDataSet(int start)
        {
            var position = start;
            ReadElements(ref position, syntax.ExplicitVr, depth: 0, inItem: false);
            if (headerOnly) return new DicomDataSet(syntax, bytes, _elements, null, null, []);
            if (syntax.Pixels != DicomPixelEncoding.Native && _native is not null)
                throw new FormatException($"the pixel data is not encapsulated, as {syntax.Name} requires");
            if (syntax.Pixels == DicomPixelEncoding.Native && _fragments is not null)
                throw new FormatException($"the pixel data is encapsulated, which {syntax.Name} does not allow");
            return new DicomDataSet(syntax, bytes, _elements, _native, _fragments, _offsetTable);
        }

        /// <summary>
        /// Reads elements up to the end of the bytes, an item delimiter (inside an undefined-length item) or the
        /// pixel data (at the top level, after which nothing is read).
        /// </summary>
        private void ReadElements(ref int position, bool explicitVr, int depth, bool inItem)
        {
            while (position < bytes.Length)
            {
                var tag = Tag(position);
                if (tag == ItemDelimiter)
                {
                    if (!inItem) throw new FormatException($"an item delimiter outside any item at byte {position}");
                    position += 8;
                    return;
                }
                if (tag >> 16 == 0xFFFE) throw new FormatException($"an item tag {DicomDataSet.TagText(tag)} outside any sequence at byte {position}");
                if (depth == 0 && tag == DicomDataSet.PixelData && headerOnly) return;
                var (length, header, vr) = Header(position, explicitVr);
                position += header;
                if (length == UndefinedLength)
                {
                    if (depth == 0 && tag == DicomDataSet.PixelData)
                    {
                        ReadFragments(ref position);
                        return;
                    }
                    if (explicitVr && vr is not ("SQ" or "UN") && tag != DicomDataSet.PixelData)
                        throw new FormatException($"element {DicomDataSet.TagText(tag)} has an undefined length, which VR {DicomDataSet.Printable(vr ?? "")} does not allow");
                    // An undefined-length UN is a sequence in implicit VR (PS3.5 6.2.2); the encapsulated pixel data of
                    // an icon inside a sequence is skipped like one, its fragments being items of defined length.
                    SkipSequence(ref position, explicitVr && vr != "UN", depth + 1);
                    continue;
                }
                if (length > (uint)(bytes.Length - position))
                    throw new FormatException($"element {DicomDataSet.TagText(tag)} claims {length} bytes, past the end of the file ({bytes.Length - position} left)");
                if (depth == 0 && tag == DicomDataSet.PixelData)
                {
                    _native = (position, (int)length);
                    position += (int)length;
                    return;
                }
                if (depth == 0 && vr != "SQ") _elements[tag] = (position, (int)length);
                position += (int)length;
            }
            if (inItem) throw new FormatException("the file ends inside a sequence item of undefined length");
        }

        /// <summary>Skips the items of an undefined-length sequence up to its delimiter.</summary>
        private void SkipSequence(ref int position, bool explicitVr, int depth)
        {
            if (depth > MaxSequenceDepth) throw new FormatException($"sequences are nested deeper than {MaxSequenceDepth} levels");
            while (position < bytes.Length)
            {
                var (tag, length) = ItemHeader(position);
                position += 8;
                if (tag == SequenceDelimiter) return;
                if (tag != Item) throw new FormatException($"element {DicomDataSet.TagText(tag)} where a sequence item was expected at byte {position - 8}");
                if (length == UndefinedLength)
                {
                    ReadElements(ref position, explicitVr, depth, inItem: true);
                    continue;
                }
                if (length > (uint)(bytes.Length - position))
                    throw new FormatException($"a sequence item claims {length} bytes, past the end of the file ({bytes.Length - position} left)");
                position += (int)length;
            }
            throw new FormatException("the file ends inside a sequence of undefined length");
        }

        /// <summary>Reads the basic offset table and the fragments of encapsulated pixel data up to its delimiter.</summary>
        private void ReadFragments(ref int position)
        {
            var fragments = new List<(int Offset, int Length)>();
            var first = true;
            while (true)
            {
                if (position >= bytes.Length) throw new FormatException("the file ends inside the encapsulated pixel data (a truncated fragment)");
                var (tag, length) = ItemHeader(position);
                position += 8;
                if (tag == SequenceDelimiter) break;
                if (tag != Item) throw new FormatException($"element {DicomDataSet.TagText(tag)} inside the encapsulated pixel data, where a fragment was expected");
                if (length > (uint)(bytes.Length - position))
                    throw new FormatException($"a pixel data fragment claims {length} bytes, past the end of the file ({bytes.Length - position} left)");
                if (first)
                {
                    _offsetTable = new uint[length / 4];
                    for (var i = 0; i < _offsetTable.Length; i++) _offsetTable[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 4 * i));
                    first = false;
                }
                else fragments.Add((position, (int)length));
                position += (int)length;
            }
            _fragments = fragments;
        }

        private uint Tag(int position)
        {
            if (bytes.Length - position < 8) throw new FormatException("the file ends inside an element header");
            return (uint)BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(position)) << 16 | BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(position + 2));
        }

        private (uint Tag, uint Length) ItemHeader(int position) => (Tag(position), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 4)));

        private (uint Length, int Header, string? Vr) Header(int position, bool explicitVr)
        {
            if (!explicitVr) return (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 4)), 8, null);
            var (length, header) = ExplicitLength(bytes, position);
            return (length, header, Encoding.ASCII.GetString(bytes, position + 4, 2));
        }
    }
}
