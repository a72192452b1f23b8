using System.Text;
using LiteDB;

namespace Medvis.Core.Storage;

/// <summary>
/// The large outputs of a run, kept in LiteDB file storage: the map (coordinates, labels, dataset indices),
/// the metrics JSON, the reproducibility card's JSON and the trained model's bytes.
/// </summary>
/// <param name="db">The database.</param>
/// <param name="largeWrites">Checks for room and keeps each upload on one engine.</param>
public sealed class RunArtifactStore(ILiteDatabase db, LiteDbLargeWrites largeWrites) : IRunArtifactStore
{
    private static string ResultId(int runId) => $"result/{runId}";
    private static string MetricsId(int runId) => $"metrics/{runId}";
    private static string ModelId(int runId) => $"model/{runId}";
    private static string CardId(int runId) => $"card/{runId}";

    /// <inheritdoc />
    public void SaveResult(RunResult result)
    {
        using var buffer = new MemoryStream();
        RunResultFormat.Write(buffer, result);
        Upload(ResultId(result.RunId), buffer.ToArray());
    }

    /// <inheritdoc />
    public RunResult? LoadResult(int runId)
    {
        var bytes = Download(ResultId(runId));
        return bytes is null ? null : RunResultFormat.Read(new MemoryStream(bytes), runId);
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
        largeWrites.Run(bytes.Length, $"the {id.Split('/')[0]} of run {id.Split('/')[1]}", () =>
        {
            using var stream = new MemoryStream(bytes, writable: false);
            db.FileStorage.Upload(id, id.Replace('/', '-'), stream);
        });
    }

    private byte[]? Download(string id)
    {
        if (!db.FileStorage.Exists(id)) return null;
        using var stream = new MemoryStream();
        db.FileStorage.Download(id, stream);
        return stream.ToArray();
    }
}
