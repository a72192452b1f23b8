using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Medvis.Core.Data.Npy;

/// <summary>
/// The header of one .npy array (NPY format versions 1, 2 and 3): element type, memory order and shape.
/// See https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html.
/// </summary>
/// <param name="Descr">The numpy type string, e.g. "|u1" or "&lt;i8".</param>
/// <param name="FortranOrder">Column-major (Fortran) element order instead of row-major (C).</param>
/// <param name="Shape">The array's dimensions.</param>
internal sealed partial record NpyHeader(string Descr, bool FortranOrder, long[] Shape)
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Number of elements (the product of the shape; 1 for a scalar).</summary>
    /// <exception cref="FormatException">When the product does not fit a 64-bit integer.</exception>
    public long ElementCount => Product(Shape);

    /// <summary>Bytes of the array's data (elements × element size).</summary>
    /// <exception cref="FormatException">When the size does not fit a 64-bit integer.</exception>
    public long DataBytes => Product([ElementCount, ElementSize]);

    /// <summary>Bytes per element, from the type string ("u1" → 1, "i8" → 8).</summary>
    public int ElementSize => int.Parse(Descr.AsSpan(2), CultureInfo.InvariantCulture);

    /// <summary>'u' (unsigned), 'i' (signed), 'f' (float), 'b' (bool) …</summary>
    public char Kind => Descr[1];

    /// <summary>Whether the values are stored big-endian (only matters for elements wider than a byte).</summary>
    public bool IsBigEndian => Descr[0] == '>' && ElementSize > 1;

    /// <summary>"(546, 28, 28)" the way numpy prints shapes.</summary>
    public string ShapeText => Shape.Length == 1 ? $"({Shape[0]},)" : "(" + string.Join(", ", Shape) + ")";

    /// <summary>The product of <paramref name="factors"/>, refusing overflow instead of wrapping around.</summary>
    /// <exception cref="FormatException">When the product does not fit a 64-bit integer.</exception>
    public static long Product(ReadOnlySpan<long> factors)
    {
        var product = 1L;
        foreach (var factor in factors)
            if (!TryMultiply(product, factor, out product))
                throw new FormatException($"the size {string.Join(" × ", factors.ToArray())} overflows a 64-bit count");
        return product;
    }

    private static bool TryMultiply(long a, long b, out long product)
    {
        var wide = (Int128)a * b;
        product = (long)wide;
        return wide >= long.MinValue && wide <= long.MaxValue;
    }

    /// <summary>Reads the magic string, version and header dictionary, leaving the stream at the first data byte.</summary>
    /// <exception cref="FormatException">When the bytes are not a valid NPY header.</exception>
    public static NpyHeader Read(Stream stream)
    {
        Span<byte> prefix = stackalloc byte[8];
        if (!TryReadExactly(stream, prefix)) throw new FormatException("not an .npy array (file too short)");
        if (!prefix[..6].SequenceEqual(Magic)) throw new FormatException("not an .npy array (bad magic string)");
        var major = prefix[6];
        var headerLength = major switch
        {
            1 => ReadLength(stream, 2),
            2 or 3 => ReadLength(stream, 4),
            _ => throw new FormatException($"unsupported .npy format version {major}.{prefix[7]}"),
        };
        if (headerLength is < 0 or > 1_000_000) throw new FormatException($"implausible .npy header length {headerLength}");
        var headerBytes = new byte[headerLength];
        if (!TryReadExactly(stream, headerBytes)) throw new FormatException("truncated .npy header");
        var encoding = major == 3 ? Encoding.UTF8 : Encoding.Latin1;
        return Parse(encoding.GetString(headerBytes));
    }

    /// <summary>Parses the Python dict literal, e.g. <c>{'descr': '|u1', 'fortran_order': False, 'shape': (5, 28, 28), }</c>.</summary>
    public static NpyHeader Parse(string dictionary)
    {
        var descr = DescrPattern().Match(dictionary);
        if (!descr.Success) throw new FormatException("the .npy header has no 'descr' entry (structured dtypes are not supported)");
        var fortran = FortranPattern().Match(dictionary);
        if (!fortran.Success) throw new FormatException("the .npy header has no 'fortran_order' entry");
        var shape = ShapePattern().Match(dictionary);
        if (!shape.Success) throw new FormatException("the .npy header has no 'shape' entry");

        var dims = shape.Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ParseDimension)
            .ToArray();
        var type = descr.Groups[1].Value;
        if (!TypePattern().IsMatch(type)) throw new FormatException($"unsupported .npy element type '{type}'");
        return new NpyHeader(type, fortran.Groups[1].Value == "True", dims);
    }

    private static long ParseDimension(string text) =>
        long.TryParse(text.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"bad dimension '{text}' in the .npy shape");

    private static int ReadLength(Stream stream, int bytes)
    {
        Span<byte> buffer = stackalloc byte[4];
        if (!TryReadExactly(stream, buffer[..bytes])) throw new FormatException("truncated .npy header");
        return bytes == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(buffer) : (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(buffer), int.MaxValue);
    }

    /// <summary>Fills <paramref name="buffer"/> from the stream; false when the stream ends first.</summary>
    internal static bool TryReadExactly(Stream stream, Span<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = stream.Read(buffer[read..]);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    [GeneratedRegex(@"['""]descr['""]\s*:\s*['""]([^'""]*)['""]")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"['""]fortran_order['""]\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"['""]shape['""]\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();

    [GeneratedRegex(@"^[<>|=][a-zA-Z]\d{1,2}$")]
    private static partial Regex TypePattern();
}
