namespace Medvis.Core.Data.Dicom;

/// <summary>
/// A decoder for lossless JPEG (ITU T.81 process 14: Huffman coded, predictors 1–7, point transform, restart
/// intervals), what CT, MR and CR archives mostly hold. One or three components of one sample each per pixel
/// (no subsampling), 2 to 16 bits. Decodes to planar little-endian samples of one or two bytes, as
/// <see cref="DicomPixelDecoder"/> reads native data. Every marker length is checked against the bytes left.
/// </summary>
internal static class DicomJpegLossless
{
    /// <summary>The decoded frame: width, height, components and the samples (planar, <paramref name="bytesPerSample"/> each, little endian).</summary>
    /// <exception cref="FormatException">For a stream that is not lossless JPEG or is corrupt.</exception>
    /// <exception cref="DatasetFormatException">When the frame is larger than the limits allow.</exception>
    public static (int Width, int Height, int Components, byte[] Samples) Decode(byte[] jpeg, int bytesPerSample, InputLimits limits, string path)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) throw new FormatException("the JPEG lossless frame does not start with a JPEG marker");
        var tables = new HuffmanTable?[4];
        Frame? frame = null;
        var restartInterval = 0;
        var position = 2;
        while (true)
        {
            var marker = NextMarker(jpeg, ref position);
            if (marker == 0xD9) throw new FormatException("the JPEG lossless frame ends before its scan");
            var length = Length(jpeg, position);
            var segment = jpeg.AsSpan(position + 2, length - 2);
            switch (marker)
            {
                case 0xC3:
                    frame = Frame.Read(segment);
                    limits.RequireImagePixels(path, frame.Width, frame.Height, "the JPEG lossless frame");
                    break;
                case 0xC4:
                    HuffmanTable.ReadAll(segment, tables);
                    break;
                case 0xDD:
                    if (segment.Length < 2) throw new FormatException("a JPEG restart interval segment is too short");
                    restartInterval = segment[0] << 8 | segment[1];
                    break;
                case 0xDA:
                    if (frame is null) throw new FormatException("the JPEG scan comes before a lossless frame header (SOF3)");
                    return Scan(jpeg, position + length, segment, frame, tables, restartInterval, bytesPerSample);
                case >= 0xC0 and <= 0xCF when marker is not (0xC4 or 0xC8 or 0xCC):
                    throw new FormatException($"the JPEG frame is coded with process SOF{marker - 0xC0}, not lossless (SOF3)");
            }
            position += length;
        }
    }

    private static int NextMarker(byte[] jpeg, ref int position)
    {
        while (position < jpeg.Length && jpeg[position] != 0xFF) position++;
        while (position < jpeg.Length && jpeg[position] == 0xFF) position++;
        if (position >= jpeg.Length) throw new FormatException("the JPEG lossless frame ends before its scan");
        return jpeg[position++];
    }

    private static int Length(byte[] jpeg, int position)
    {
        if (position + 2 > jpeg.Length) throw new FormatException("the JPEG lossless frame ends inside a marker");
        var length = jpeg[position] << 8 | jpeg[position + 1];
        if (length < 2 || position + length > jpeg.Length) throw new FormatException($"a JPEG marker segment claims {length} bytes, past the end of the frame");
        return length;
    }

    private sealed record Frame(int Precision, int Height, int Width, int[] ComponentIds)
    {
        public static Frame Read(ReadOnlySpan<byte> s)
        {
            if (s.Length < 6) throw new FormatException("the JPEG lossless frame header is too short");
            var components = s[5];
            if (components is not (1 or 3) || s.Length < 6 + 3 * components)
                throw new FormatException($"JPEG lossless frames of {components} components are not supported (1 or 3)");
            var ids = new int[components];
            for (var c = 0; c < components; c++)
            {
                ids[c] = s[6 + 3 * c];
                if (s[7 + 3 * c] != 0x11) throw new FormatException("subsampled JPEG lossless components are not supported");
            }
            var frame = new Frame(s[0], s[1] << 8 | s[2], s[3] << 8 | s[4], ids);
            if (frame.Precision is < 2 or > 16) throw new FormatException($"a JPEG lossless precision of {frame.Precision} bits is not supported (2–16)");
            return frame;
        }
    }

    private static (int, int, int, byte[]) Scan(byte[] jpeg, int dataStart, ReadOnlySpan<byte> header, Frame frame, HuffmanTable?[] tables,
        int restartInterval, int bytesPerSample)
    {
        var components = frame.ComponentIds.Length;
        if (header.Length < 1 + 2 * components + 3 || header[0] != components)
            throw new FormatException("the JPEG lossless scan must hold every component of the frame");
        var table = new HuffmanTable[components];
        for (var c = 0; c < components; c++)
            table[c] = tables[header[2 + 2 * c] >> 4 & 3] ?? throw new FormatException("the JPEG lossless scan uses a Huffman table that is not defined");
        var predictor = header[1 + 2 * components];
        var pointTransform = header[3 + 2 * components] & 15;
        if (predictor is < 1 or > 7) throw new FormatException($"JPEG lossless predictor {predictor} is not one of 1–7");
        if (bytesPerSample == 1 && frame.Precision > 8) throw new FormatException($"a {frame.Precision}-bit JPEG lossless frame in 8 bits allocated");

        var (width, height) = (frame.Width, frame.Height);
        var plane = width * height;
        var values = new int[components * plane];
        var mask = (1 << frame.Precision) - 1;
        var initial = 1 << (frame.Precision - pointTransform - 1);
        var bits = new BitReader(jpeg, dataStart);
        var sinceRestart = 0;
        var restartRow = 0;
        var restartColumn = 0;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                if (restartInterval > 0 && sinceRestart == restartInterval)
                {
                    bits.Restart();
                    sinceRestart = 0;
                    (restartRow, restartColumn) = (y, x);
                }
                sinceRestart++;
                for (var c = 0; c < components; c++)
                {
                    var at = c * plane + y * width + x;
                    // After a restart the interval's first line is predicted as the image's first line (T.81 H.1.2.1).
                    int prediction;
                    if (y == restartRow && x == restartColumn) prediction = initial;
                    else if (y == restartRow) prediction = values[at - 1];
                    else if (x == 0) prediction = values[at - width];
                    else
                    {
                        int a = values[at - 1], b = values[at - width], d = values[at - width - 1];
                        prediction = predictor switch
                        {
                            1 => a,
                            2 => b,
                            3 => d,
                            4 => a + b - d,
                            5 => a + ((b - d) >> 1),
                            6 => b + ((a - d) >> 1),
                            _ => (a + b) >> 1,
                        };
                    }
                    values[at] = (prediction + Difference(bits, table[c])) & mask;
                }
            }
        var samples = new byte[(long)values.Length * bytesPerSample];
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i] << pointTransform;
            samples[i * bytesPerSample] = (byte)value;
            if (bytesPerSample == 2) samples[i * 2 + 1] = (byte)(value >> 8);
        }
        return (width, height, components, samples);
    }

    private static int Difference(BitReader bits, HuffmanTable table)
    {
        var category = table.Decode(bits);
        if (category == 0) return 0;
        if (category == 16) return 32768;
        if (category > 16) throw new FormatException($"a JPEG lossless difference of category {category}");
        var raw = bits.Read(category);
        return raw < 1 << (category - 1) ? raw - (1 << category) + 1 : raw;
    }

    /// <summary>Reads entropy-coded bits, undoing byte stuffing; at a marker it reads ones, as the coder padded.</summary>
    private sealed class BitReader(byte[] bytes, int start)
    {
        private int _position = start;
        private int _buffer;
        private int _count;

        public int Bit()
        {
            if (_count == 0) Fill();
            _count--;
            return _buffer >> _count & 1;
        }

        public int Read(int n)
        {
            var value = 0;
            for (var i = 0; i < n; i++) value = value << 1 | Bit();
            return value;
        }

        /// <summary>Skips to the byte after the next RSTn marker and empties the buffer.</summary>
        public void Restart()
        {
            _count = 0;
            while (_position + 1 < bytes.Length && !(bytes[_position] == 0xFF && bytes[_position + 1] is >= 0xD0 and <= 0xD7)) _position++;
            if (_position + 1 >= bytes.Length) throw new FormatException("a JPEG restart marker is missing: the scan is truncated");
            _position += 2;
        }

        private void Fill()
        {
            if (_position >= bytes.Length) throw new FormatException("the JPEG lossless scan is truncated");
            var next = bytes[_position];
            if (next == 0xFF)
            {
                var after = _position + 1 < bytes.Length ? bytes[_position + 1] : 0xD9;
                if (after != 0) throw new FormatException("the JPEG lossless scan ends before its last sample");
                _position += 2;
            }
            else _position++;
            _buffer = next;
            _count = 8;
        }
    }

    /// <summary>A DC Huffman table decoded as T.81 F.2.2.3 does: the largest code of each length and where its values start.</summary>
    private sealed class HuffmanTable
    {
        private readonly int[] _maxCode = new int[18];
        private readonly int[] _valueOffset = new int[18];
        private readonly byte[] _values;

        private HuffmanTable(ReadOnlySpan<byte> counts, byte[] values)
        {
            _values = values;
            var code = 0;
            var k = 0;
            for (var length = 1; length <= 16; length++)
            {
                _valueOffset[length] = k - code;
                code += counts[length - 1];
                k += counts[length - 1];
                _maxCode[length] = counts[length - 1] > 0 ? code - 1 : -1;
                code <<= 1;
            }
            _maxCode[17] = int.MaxValue;
        }

        public static void ReadAll(ReadOnlySpan<byte> segment, HuffmanTable?[] tables)
        {
            while (segment.Length > 0)
            {
                if (segment.Length < 17) throw new FormatException("a JPEG Huffman table is truncated");
                var counts = segment.Slice(1, 16);
                var total = 0;
                foreach (var c in counts) total += c;
                if (total > 256 || segment.Length < 17 + total) throw new FormatException("a JPEG Huffman table claims more values than it holds");
                tables[segment[0] & 3] = new HuffmanTable(counts, segment.Slice(17, total).ToArray());
                segment = segment[(17 + total)..];
            }
        }

        public int Decode(BitReader bits)
        {
            var code = 0;
            for (var length = 1; length <= 16; length++)
            {
                code = code << 1 | bits.Bit();
                if (code <= _maxCode[length])
                {
                    var index = _valueOffset[length] + code;
                    return index >= 0 && index < _values.Length ? _values[index] : throw new FormatException("a JPEG Huffman code points past its table");
                }
            }
            throw new FormatException("a JPEG Huffman code longer than 16 bits: the scan is corrupt");
        }
    }
}
