using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace Medvis.Core.Tests.Data.Dicom;

/// <summary>
/// Writes small DICOM Part 10 files for tests, so no DICOM file is ever committed: the meta group, then the data set
/// in the transfer syntax asked for (explicit or implicit VR little endian, deflated; native, RLE or JPEG pixel data),
/// elements in tag order. It writes what it is told, lies included, so hostile files are made the same way.
/// </summary>
internal sealed class DicomWriter
{
    public const string ImplicitLittle = "1.2.840.10008.1.2", ExplicitLittle = "1.2.840.10008.1.2.1", DeflatedLittle = "1.2.840.10008.1.2.1.99",
        Rle = "1.2.840.10008.1.2.5", JpegBaseline = "1.2.840.10008.1.2.4.50", ExplicitBig = "1.2.840.10008.1.2.2", JpegLossless = "1.2.840.10008.1.2.4.57",
        JpegLosslessFirstOrder = "1.2.840.10008.1.2.4.70", Jpeg2000 = "1.2.840.10008.1.2.4.90";

    public const uint Rows = 0x0028_0010, Columns = 0x0028_0011, BitsAllocated = 0x0028_0100, BitsStored = 0x0028_0101, HighBit = 0x0028_0102,
        PixelRepresentation = 0x0028_0103, SamplesPerPixel = 0x0028_0002, Photometric = 0x0028_0004, PlanarConfiguration = 0x0028_0006,
        NumberOfFrames = 0x0028_0008, WindowCenter = 0x0028_1050, WindowWidth = 0x0028_1051, RescaleIntercept = 0x0028_1052,
        RescaleSlope = 0x0028_1053, Modality = 0x0008_0060, Manufacturer = 0x0008_0070, StudyDate = 0x0008_0020, BodyPart = 0x0018_0015,
        ViewPosition = 0x0018_5101, PatientName = 0x0010_0010, PatientId = 0x0010_0020, PatientSex = 0x0010_0040, PatientAge = 0x0010_1010,
        PixelData = 0x7FE0_0010;

    private const uint UndefinedLength = 0xFFFF_FFFF;
    private readonly SortedDictionary<uint, (string Vr, byte[] Value, int Depth)> _elements = [];
    private byte[]? _native;
    private IReadOnlyList<byte[]>? _fragments;
    private bool _offsetTable;

    /// <summary>The transfer syntax UID written into the meta group (and used to encode the data set).</summary>
    public string TransferSyntax { get; init; } = ExplicitLittle;

    /// <summary>Overrides the length of one element's header (a lie about its size); null writes the true length.</summary>
    public (uint Tag, uint Length)? LengthLie { get; init; }

    public DicomWriter Text(uint tag, string vr, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        if (bytes.Length % 2 == 1) bytes = [.. bytes, vr == "UI" ? (byte)0 : (byte)' '];
        _elements[tag] = (vr, bytes, 0);
        return this;
    }

    public DicomWriter UShort(uint tag, int value)
    {
        _elements[tag] = ("US", BitConverter.GetBytes((ushort)value), 0);
        return this;
    }

    /// <summary>An undefined-length sequence whose one item holds a code and, below depth 1, the next level.</summary>
    public DicomWriter NestedSequence(uint tag, int depth)
    {
        _elements[tag] = ("SQ", [], depth);
        return this;
    }

    /// <summary>An icon image sequence whose one item holds encapsulated pixel data of its own (one fragment).</summary>
    public DicomWriter IconSequence()
    {
        _elements[0x0088_0200] = ("SQ", [], -1);
        return this;
    }

    public DicomWriter NativePixels(byte[] pixels)
    {
        _native = pixels;
        return this;
    }

    /// <summary>Encapsulated pixel data, with a basic offset table naming each fragment as a frame when asked.</summary>
    public DicomWriter Fragments(IReadOnlyList<byte[]> fragments, bool offsetTable = false)
    {
        _fragments = fragments;
        _offsetTable = offsetTable;
        return this;
    }

    /// <summary>The image pixel module of a grey or RGB image.</summary>
    public DicomWriter Image(int rows, int columns, int bitsAllocated, int bitsStored, bool signed = false, string photometric = "MONOCHROME2",
        int samples = 1, int planar = 0, int frames = 1)
    {
        UShort(Rows, rows).UShort(Columns, columns).UShort(BitsAllocated, bitsAllocated).UShort(BitsStored, bitsStored)
            .UShort(HighBit, bitsStored - 1).UShort(PixelRepresentation, signed ? 1 : 0).UShort(SamplesPerPixel, samples)
            .Text(Photometric, "CS", photometric);
        if (samples == 3) UShort(PlanarConfiguration, planar);
        if (frames > 1) Text(NumberOfFrames, "IS", frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return this;
    }

    public byte[] Build()
    {
        var explicitVr = TransferSyntax != ImplicitLittle;
        using var data = new MemoryStream();
        foreach (var (tag, (vr, value, depth)) in _elements)
            if (vr == "SQ") WriteSequence(data, tag, depth, explicitVr);
            else WriteElement(data, tag, vr, value, explicitVr);
        WritePixels(data, explicitVr);
        var body = TransferSyntax == DeflatedLittle ? Deflate(data.ToArray()) : data.ToArray();

        using var file = new MemoryStream();
        file.Write(new byte[128]);
        file.Write("DICM"u8);
        using var meta = new MemoryStream();
        WriteElement(meta, 0x0002_0001, "OB", [0, 1], true);
        WriteElement(meta, 0x0002_0002, "UI", Padded("1.2.840.10008.5.1.4.1.1.7"), true);
        WriteElement(meta, 0x0002_0003, "UI", Padded("1.2.826.0.1.3680043.2.1125.1"), true);
        WriteElement(meta, 0x0002_0010, "UI", Padded(TransferSyntax), true);
        WriteElement(file, 0x0002_0000, "UL", BitConverter.GetBytes((uint)meta.Length), true);
        meta.WriteTo(file);
        file.Write(body);
        return file.ToArray();
    }

    private void WritePixels(Stream data, bool explicitVr)
    {
        if (_native is { } native)
        {
            WriteElement(data, PixelData, "OW", native.Length % 2 == 0 ? native : [.. native, 0], explicitVr);
            return;
        }
        if (_fragments is not { } fragments) return;
        WriteHeader(data, PixelData, "OB", UndefinedLength, explicitVr);
        var offsets = new List<byte>();
        uint position = 0;
        foreach (var fragment in fragments)
        {
            offsets.AddRange(BitConverter.GetBytes(position));
            position += 8 + (uint)Even(fragment).Length;
        }
        WriteItem(data, 0xE000, _offsetTable ? [.. offsets] : []);
        foreach (var fragment in fragments) WriteItem(data, 0xE000, Even(fragment));
        WriteItem(data, 0xE0DD, []);
    }

    private void WriteSequence(Stream data, uint tag, int depth, bool explicitVr)
    {
        WriteHeader(data, tag, "SQ", UndefinedLength, explicitVr);
        WriteItemHeader(data, 0xE000, UndefinedLength);
        if (depth < 0)
        {
            WriteHeader(data, PixelData, "OB", UndefinedLength, explicitVr);
            WriteItem(data, 0xE000, []);
            WriteItem(data, 0xE000, [0xFF, 0xD8, 0xFF, 0xD9]);
            WriteItemHeader(data, 0xE0DD, 0);
        }
        else WriteElement(data, 0x0008_0100, "SH", Padded("CODE"), explicitVr);
        if (depth > 1) WriteSequence(data, 0x0040_A730, depth - 1, explicitVr);
        WriteItemHeader(data, 0xE00D, 0);
        WriteItemHeader(data, 0xE0DD, 0);
    }

    private void WriteElement(Stream data, uint tag, string vr, byte[] value, bool explicitVr)
    {
        var length = LengthLie is { } lie && lie.Tag == tag ? lie.Length : (uint)value.Length;
        WriteHeader(data, tag, vr, length, explicitVr);
        data.Write(value);
    }

    private static void WriteHeader(Stream data, uint tag, string vr, uint length, bool explicitVr)
    {
        data.Write(BitConverter.GetBytes((ushort)(tag >> 16)));
        data.Write(BitConverter.GetBytes((ushort)tag));
        if (!explicitVr)
        {
            data.Write(BitConverter.GetBytes(length));
            return;
        }
        data.Write(Encoding.ASCII.GetBytes(vr));
        if (vr is "OB" or "OW" or "SQ" or "UN" or "UT")
        {
            data.Write(new byte[2]);
            data.Write(BitConverter.GetBytes(length));
        }
        else data.Write(BitConverter.GetBytes((ushort)length));
    }

    private static void WriteItem(Stream data, ushort element, byte[] value)
    {
        WriteItemHeader(data, element, (uint)value.Length);
        data.Write(value);
    }

    private static void WriteItemHeader(Stream data, ushort element, uint length)
    {
        data.Write(BitConverter.GetBytes((ushort)0xFFFE));
        data.Write(BitConverter.GetBytes(element));
        data.Write(BitConverter.GetBytes(length));
    }

    private static byte[] Padded(string uid) => Encoding.ASCII.GetBytes(uid.Length % 2 == 1 ? uid + "\0" : uid);

    private static byte[] Even(byte[] bytes) => bytes.Length % 2 == 0 ? bytes : [.. bytes, 0];

    private static byte[] Deflate(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true)) deflate.Write(bytes);
        return output.ToArray();
    }

    /// <summary>16-bit little-endian samples of stored values (negative ones in two's complement of their bits).</summary>
    public static byte[] Samples16(IEnumerable<int> values) => values.SelectMany(v => BitConverter.GetBytes((ushort)v)).ToArray();

    /// <summary>
    /// One RLE frame (PS3.5 annex G) of planar samples: one segment per byte of each sample, most significant first,
    /// each PackBits-coded with both replicate and literal runs.
    /// </summary>
    public static byte[] RleFrame(byte[] littleEndianPlanes, int pixels, int samples, int bytesPerSample)
    {
        var segments = new List<byte[]>();
        for (var s = 0; s < samples; s++)
            for (var b = bytesPerSample - 1; b >= 0; b--)
            {
                var plane = new byte[pixels];
                for (var p = 0; p < pixels; p++) plane[p] = littleEndianPlanes[(s * pixels + p) * bytesPerSample + b];
                segments.Add(Even(PackBits(plane)));
            }
        var header = new byte[64];
        BitConverter.GetBytes((uint)segments.Count).CopyTo(header, 0);
        var offset = 64u;
        for (var i = 0; i < segments.Count; i++)
        {
            BitConverter.GetBytes(offset).CopyTo(header, 4 + 4 * i);
            offset += (uint)segments[i].Length;
        }
        return [.. header, .. segments.SelectMany(s => s)];
    }

    private static byte[] PackBits(byte[] plane)
    {
        var output = new List<byte>();
        var i = 0;
        while (i < plane.Length)
        {
            var run = 1;
            while (i + run < plane.Length && run < 128 && plane[i + run] == plane[i]) run++;
            if (run >= 3)
            {
                output.Add((byte)(sbyte)(1 - run));
                output.Add(plane[i]);
                i += run;
                continue;
            }
            var start = i;
            while (i < plane.Length && i - start < 128 && !(i + 2 < plane.Length && plane[i] == plane[i + 1] && plane[i] == plane[i + 2])) i++;
            output.Add((byte)(i - start - 1));
            output.AddRange(plane[start..i]);
        }
        return [.. output];
    }

    /// <summary>A JPEG baseline frame of grey 8-bit values (or of one colour), as SkiaSharp encodes it.</summary>
    public static byte[] Jpeg(int width, int height, Func<int, int, SKColor> colour, bool grey)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, grey ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++) bitmap.SetPixel(x, y, colour(x, y));
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 100);
        return data.ToArray();
    }

    /// <summary>
    /// A lossless JPEG (process 14) frame of planar samples: every difference category coded in 5 bits (one DC table
    /// of 17 codes), the given predictor, and a restart marker every <paramref name="restartRows"/> rows when above 0.
    /// </summary>
    public static byte[] JpegLosslessFrame(int[] planes, int width, int height, int components, int precision, int predictor, int restartRows = 0)
    {
        var output = new List<byte> { 0xFF, 0xD8 };
        void Segment(byte marker, params byte[] body)
        {
            output.AddRange([0xFF, marker, (byte)((body.Length + 2) >> 8), (byte)(body.Length + 2)]);
            output.AddRange(body);
        }
        Segment(0xC3, [(byte)precision, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, (byte)components,
            .. Enumerable.Range(0, components).SelectMany(c => new byte[] { (byte)(c + 1), 0x11, 0 })]);
        Segment(0xC4, [0, 0, 0, 0, 0, 17, .. new byte[11], .. Enumerable.Range(0, 17).Select(v => (byte)v)]);
        var interval = restartRows * width;
        if (interval > 0) Segment(0xDD, (byte)(interval >> 8), (byte)interval);
        Segment(0xDA, [(byte)components, .. Enumerable.Range(0, components).SelectMany(c => new byte[] { (byte)(c + 1), 0 }), (byte)predictor, 0, 0]);

        var bits = new JpegBitWriter(output);
        var plane = width * height;
        var restartRow = 0;
        for (var y = 0; y < height; y++)
        {
            if (interval > 0 && y > 0 && y % restartRows == 0)
            {
                bits.Flush();
                output.AddRange([0xFF, (byte)(0xD0 + (y / restartRows - 1) % 8)]);
                restartRow = y;
            }
            for (var x = 0; x < width; x++)
                for (var c = 0; c < components; c++)
                {
                    var at = c * plane + y * width + x;
                    int prediction;
                    if (y == restartRow && x == 0) prediction = 1 << (precision - 1);
                    else if (y == restartRow) prediction = planes[at - 1];
                    else if (x == 0) prediction = planes[at - width];
                    else
                    {
                        int a = planes[at - 1], b = planes[at - width], d = planes[at - width - 1];
                        prediction = predictor switch
                        {
                            1 => a, 2 => b, 3 => d, 4 => a + b - d, 5 => a + ((b - d) >> 1), 6 => b + ((a - d) >> 1), _ => (a + b) >> 1,
                        };
                    }
                    var difference = (planes[at] - prediction) & 0xFFFF;
                    if (difference >= 32768) difference -= 65536;
                    var category = difference == 0 ? 0 : difference == -32768 ? 16 : 32 - int.LeadingZeroCount(Math.Abs(difference));
                    bits.Write(category, 5);
                    if (category is > 0 and < 16) bits.Write(difference > 0 ? difference : difference + (1 << category) - 1, category);
                }
        }
        bits.Flush();
        output.AddRange([0xFF, 0xD9]);
        return [.. output];
    }

    /// <summary>Entropy-coded bits, most significant first, with a zero stuffed after every 0xFF and ones as padding.</summary>
    private sealed class JpegBitWriter(List<byte> output)
    {
        private int _buffer;
        private int _count;

        public void Write(int value, int count)
        {
            for (var i = count - 1; i >= 0; i--)
            {
                _buffer = _buffer << 1 | (value >> i & 1);
                if (++_count == 8) Emit();
            }
        }

        public void Flush()
        {
            while (_count != 0) Write(1, 1);
        }

        private void Emit()
        {
            output.Add((byte)_buffer);
            if (_buffer == 0xFF) output.Add(0);
            _buffer = 0;
            _count = 0;
        }
    }
}
