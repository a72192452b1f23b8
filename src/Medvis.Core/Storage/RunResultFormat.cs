using System.Runtime.InteropServices;
using System.Text;

namespace Medvis.Core.Storage;

/// <summary>
/// The binary layout of a stored map (version, count, x, y, labels, dataset indices, class names), shared by both
/// stores so a map reads the same wherever it was written. Reading and writing go through streams, so a store can
/// hand over its blob stream without buffering it first.
/// </summary>
internal static class RunResultFormat
{
    private const int Version = 1;

    /// <summary>Throws when the arrays of <paramref name="result"/> differ in length.</summary>
    public static void RequireConsistent(RunResult result)
    {
        if (result.Y.Length != result.Count || result.Labels.Length != result.Count || result.DatasetIndices.Length != result.Count)
            throw new ArgumentException($"Run {result.RunId}: coordinates, labels and indices differ in length.");
    }

    public static void Write(Stream stream, RunResult result)
    {
        RequireConsistent(result);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Version);
        writer.Write(result.Count);
        writer.Write(MemoryMarshal.AsBytes(result.X.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(result.Y.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(result.Labels.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(result.DatasetIndices.AsSpan()));
        writer.Write(result.ClassNames.Count);
        foreach (var name in result.ClassNames) writer.Write(name);
    }

    public static RunResult Read(Stream stream, int runId)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var version = reader.ReadInt32();
        if (version != Version)
            throw new InvalidDataException($"Run {runId}: stored map has format {version}, expected {Version}.");
        var count = reader.ReadInt32();
        var x = ReadArray<float>(reader, count);
        var y = ReadArray<float>(reader, count);
        var labels = ReadArray<int>(reader, count);
        var indices = ReadArray<int>(reader, count);
        var names = new string[reader.ReadInt32()];
        for (var i = 0; i < names.Length; i++) names[i] = reader.ReadString();
        return new RunResult(runId, x, y, labels, indices, names);
    }

    private static T[] ReadArray<T>(BinaryReader reader, int count) where T : unmanaged
    {
        var values = new T[count];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        // A network stream hands out partial reads: keep reading until the array is full.
        var read = 0;
        while (read < bytes.Length)
        {
            var n = reader.Read(bytes[read..]);
            if (n == 0) throw new InvalidDataException("Stored map is truncated.");
            read += n;
        }
        return values;
    }
}
