using System.Buffers.Binary;

namespace Medvis.Core.Data.Npy;

/// <summary>Reads the data part of .npy arrays whose header was read with <see cref="NpyHeader.Read"/>.</summary>
internal static class NpyReader
{
    /// <summary>
    /// Reads an integer array of any width and signedness (bool too) as 32-bit integers, each checked to lie in
    /// [0, <paramref name="exclusiveMax"/>); the first that does not is reported through <paramref name="outOfRange"/>
    /// (value, index). The caller bounds <see cref="NpyHeader.DataBytes"/> before calling: the data is read at once.
    /// </summary>
    public static int[] ReadIntegers(Stream stream, NpyHeader header, int exclusiveMax, Func<long, int, Exception> outOfRange)
    {
        if (header.Kind is not ('u' or 'i' or 'b'))
            throw new FormatException($"expected integer labels but the array holds '{header.Descr}'");
        if (header.ElementSize is not (1 or 2 or 4 or 8))
            throw new FormatException($"unsupported label element size in '{header.Descr}'");
        RequireCOrder(header);
        var count = checked((int)header.ElementCount);
        var raw = new byte[checked((int)header.DataBytes)];
        if (!NpyHeader.TryReadExactly(stream, raw))
            throw new FormatException($"truncated data: shape {header.ShapeText} needs {raw.Length} bytes");
        var values = new int[count];
        for (var i = 0; i < count; i++)
        {
            var value = ReadElement(raw.AsSpan(i * header.ElementSize, header.ElementSize), header);
            if (value < 0 || value >= exclusiveMax) throw outOfRange(value, i);
            values[i] = (int)value;
        }
        return values;
    }

    private static long ReadElement(ReadOnlySpan<byte> bytes, NpyHeader header)
    {
        var signed = header.Kind == 'i';
        var big = header.IsBigEndian;
        return bytes.Length switch
        {
            1 => signed ? (sbyte)bytes[0] : bytes[0],
            2 => signed
                ? big ? BinaryPrimitives.ReadInt16BigEndian(bytes) : BinaryPrimitives.ReadInt16LittleEndian(bytes)
                : big ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes),
            4 => signed
                ? big ? BinaryPrimitives.ReadInt32BigEndian(bytes) : BinaryPrimitives.ReadInt32LittleEndian(bytes)
                : big ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            _ => signed
                ? big ? BinaryPrimitives.ReadInt64BigEndian(bytes) : BinaryPrimitives.ReadInt64LittleEndian(bytes)
                : (long)Math.Min(big ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes), long.MaxValue),
        };
    }

    private static void RequireCOrder(NpyHeader header)
    {
        if (header.FortranOrder)
            throw new FormatException("Fortran-ordered arrays are not supported (save with fortran_order=False)");
    }
}
