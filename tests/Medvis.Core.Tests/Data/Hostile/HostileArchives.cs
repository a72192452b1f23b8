using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Medvis.Core.Tests.Data.Hostile;

/// <summary>Zip archives that lie about their members, built in memory from <see cref="NpzBuilder"/> output.</summary>
internal static class HostileArchives
{
    private const uint LocalHeader = 0x04034B50, CentralHeader = 0x02014B50;

    /// <summary>
    /// Writes an npz whose <paramref name="member"/> is an .npy header followed by <paramref name="zeros"/> zero bytes,
    /// deflated: a few hundred kilobytes on disk that decompress to the full size. The zeros are streamed, never held.
    /// </summary>
    public static void WriteDeflatedZeros(string path, string member, byte[] npyHeader, long zeros, params (string Name, byte[] Bytes)[] others)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        using (var entry = zip.CreateEntry(member, CompressionLevel.SmallestSize).Open())
        {
            entry.Write(npyHeader);
            var block = new byte[1 << 20];
            for (var left = zeros; left > 0; left -= block.Length)
                entry.Write(block, 0, (int)Math.Min(block.Length, left));
        }
        foreach (var (name, bytes) in others)
        {
            using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
            entry.Write(bytes);
        }
    }

    /// <summary>Rewrites the uncompressed size that both the local and the central header of <paramref name="member"/> declare.</summary>
    public static void DeclareSize(string path, string member, uint declaredSize)
    {
        var bytes = File.ReadAllBytes(path);
        var name = Encoding.UTF8.GetBytes(member);
        var patched = 0;
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            var (nameAt, sizeAt) = signature switch
            {
                LocalHeader => (i + 30, i + 22),
                CentralHeader => (i + 46, i + 24),
                _ => (-1, -1),
            };
            if (nameAt < 0 || nameAt + name.Length > bytes.Length || !bytes.AsSpan(nameAt, name.Length).SequenceEqual(name)) continue;
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(sizeAt), declaredSize);
            patched++;
        }
        if (patched != 2) throw new InvalidOperationException($"found {patched} headers of {member}, expected 2");
        File.WriteAllBytes(path, bytes);
    }
}
