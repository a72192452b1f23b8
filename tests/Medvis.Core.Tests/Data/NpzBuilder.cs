using System.IO.Compression;
using System.Text;

namespace Medvis.Core.Tests.Data;

/// <summary>Writes small .npy arrays and .npz archives the way numpy does, for parser tests.</summary>
internal sealed class NpzBuilder
{
    private readonly List<(string Name, byte[] Bytes)> _members = [];

    /// <summary>Store members uncompressed (as <c>np.savez</c> does) instead of deflating them.</summary>
    public bool Stored { get; init; }

    /// <summary>Adds a member with an .npy body built by <see cref="Npy"/>.</summary>
    public NpzBuilder Add(string name, byte[] npy)
    {
        _members.Add((name, npy));
        return this;
    }

    public NpzBuilder AddUInt8(string name, byte[] data, long[] shape, int version = 1, string descr = "|u1") =>
        Add(name + ".npy", Npy(descr, shape, data, version));

    public NpzBuilder AddInt64(string name, long[] values, long[] shape, int version = 1) =>
        Add(name + ".npy", Npy("<i8", shape, values.SelectMany(BitConverter.GetBytes).ToArray(), version));

    public void Write(string path)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        foreach (var (name, bytes) in _members)
        {
            using var entry = zip.CreateEntry(name, Stored ? CompressionLevel.NoCompression : CompressionLevel.Fastest).Open();
            entry.Write(bytes);
        }
    }

    /// <summary>An .npy file: magic, version, padded header dict, data.</summary>
    public static byte[] Npy(string descr, long[] shape, byte[] data, int version = 1, bool fortran = false)
    {
        var shapeText = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        var dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shapeText}, }}";
        var prefixLength = version == 1 ? 10 : 12;
        var total = prefixLength + dict.Length + 1;
        var padded = dict + new string(' ', (64 - total % 64) % 64) + "\n";
        using var stream = new MemoryStream();
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)version, 0]);
        if (version == 1) stream.Write(BitConverter.GetBytes((ushort)padded.Length));
        else stream.Write(BitConverter.GetBytes((uint)padded.Length));
        stream.Write(Encoding.Latin1.GetBytes(padded));
        stream.Write(data);
        return stream.ToArray();
    }
}
