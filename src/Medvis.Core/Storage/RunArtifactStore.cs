using System.Runtime.InteropServices;
using System.Text;
using LiteDB;

namespace Medvis.Core.Storage;

/// <summary>
/// The large outputs of a run, kept in LiteDB file storage: the map (coordinates, labels, dataset indices),
/// the metrics JSON, the reproducibility card's JSON and the trained model's bytes.
/// </summary>
public sealed class RunArtifactStore(ILiteDatabase db)
{
    private const int ResultFormatVersion = 1;

    private static string ResultId(int runId) => $"result/{runId}";
    private static string MetricsId(int runId) => $"metrics/{runId}";
    private static string ModelId(int runId) => $"model/{runId}";
    private static string CardId(int runId) => $"card/{runId}";

    /// <summary>Stores (replaces) the map of a finished run.</summary>
    public void SaveResult(RunResult result)
    {
        if (result.Y.Length != result.Count || result.Labels.Length != result.Count || result.DatasetIndices.Length != result.Count)
            throw new ArgumentException($"Run {result.RunId}: coordinates, labels and indices differ in length.");
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(ResultFormatVersion);
            writer.Write(result.Count);
            writer.Write(MemoryMarshal.AsBytes(result.X.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(result.Y.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(result.Labels.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(result.DatasetIndices.AsSpan()));
            writer.Write(result.ClassNames.Count);
            foreach (var name in result.ClassNames) writer.Write(name);
        }
        Upload(ResultId(result.RunId), buffer.ToArray());
    }

    /// <summary>The stored map of a run, or null when it has none.</summary>
    public RunResult? LoadResult(int runId)
    {
        var bytes = Download(ResultId(runId));
        if (bytes is null) return null;
        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        var version = reader.ReadInt32();
        if (version != ResultFormatVersion)
            throw new InvalidDataException($"Run {runId}: stored map has format {version}, expected {ResultFormatVersion}.");
        var count = reader.ReadInt32();
        var x = ReadArray<float>(reader, count);
        var y = ReadArray<float>(reader, count);
        var labels = ReadArray<int>(reader, count);
        var indices = ReadArray<int>(reader, count);
        var names = new string[reader.ReadInt32()];
        for (var i = 0; i < names.Length; i++) names[i] = reader.ReadString();
        return new RunResult(runId, x, y, labels, indices, names);
    }

    /// <summary>Stores (replaces) the metrics report of a run, as JSON.</summary>
    public void SaveMetricsJson(int runId, string json) => Upload(MetricsId(runId), Encoding.UTF8.GetBytes(json));

    /// <summary>The stored metrics JSON of a run, or null.</summary>
    public string? LoadMetricsJson(int runId) => Download(MetricsId(runId)) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>Stores (replaces) the trained model of a run.</summary>
    public void SaveModel(int runId, byte[] modelBytes) => Upload(ModelId(runId), modelBytes);

    /// <summary>The trained model's bytes, or null when the run has none.</summary>
    public byte[]? LoadModel(int runId) => Download(ModelId(runId));

    /// <summary>Stores (replaces) the reproducibility card of a run, as JSON.</summary>
    public void SaveCardJson(int runId, string json) => Upload(CardId(runId), Encoding.UTF8.GetBytes(json));

    /// <summary>The stored card JSON of a run, or null (runs finished before cards existed have none).</summary>
    public string? LoadCardJson(int runId) => Download(CardId(runId)) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    internal void DeleteAll(int runId)
    {
        db.FileStorage.Delete(CardId(runId));
        db.FileStorage.Delete(ResultId(runId));
        db.FileStorage.Delete(MetricsId(runId));
        db.FileStorage.Delete(ModelId(runId));
    }

    private void Upload(string id, byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        db.FileStorage.Upload(id, id.Replace('/', '-'), stream);
    }

    private byte[]? Download(string id)
    {
        if (!db.FileStorage.Exists(id)) return null;
        using var stream = new MemoryStream();
        db.FileStorage.Download(id, stream);
        return stream.ToArray();
    }

    private static T[] ReadArray<T>(BinaryReader reader, int count) where T : unmanaged
    {
        var values = new T[count];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        if (reader.Read(bytes) != bytes.Length) throw new InvalidDataException("Stored map is truncated.");
        return values;
    }
}
