using System.Text;
using static Medvis.Core.Storage.Postgres.PostgresDocuments;

namespace Medvis.Core.Storage.Postgres;

/// <summary>
/// A run's map, metrics, card and model in table <c>run_artifacts</c>, one bytea row per kind. The map is read
/// straight off the column's stream into its arrays.
/// </summary>
internal sealed class PostgresArtifactStore(PostgresDocuments documents) : IRunArtifactStore
{
    private const string Result = "result", Metrics = "metrics", Card = "card", Model = "model";

    public void SaveResult(RunResult result)
    {
        using var buffer = new MemoryStream();
        RunResultFormat.Write(buffer, result);
        buffer.Position = 0;
        Save(result.RunId, Result, buffer);
    }

    public RunResult? LoadResult(int runId) => Load(runId, Result, reader =>
    {
        using var blob = reader.GetStream(0);
        return RunResultFormat.Read(blob, runId);
    });

    public void SaveMetricsJson(int runId, string json) => Save(runId, Metrics, new MemoryStream(Encoding.UTF8.GetBytes(json)));

    public string? LoadMetricsJson(int runId) => LoadText(runId, Metrics);

    public void SaveModel(int runId, byte[] modelBytes) => Save(runId, Model, new MemoryStream(modelBytes, writable: false));

    public byte[]? LoadModel(int runId) => Load(runId, Model, reader => PostgresBlobs.ReadBytes(reader, 0));

    public void SaveCardJson(int runId, string json) => Save(runId, Card, new MemoryStream(Encoding.UTF8.GetBytes(json)));

    public string? LoadCardJson(int runId) => LoadText(runId, Card);

    /// <summary>Removes every artifact of a run.</summary>
    public void DeleteAll(int runId) => documents.Execute("DELETE FROM run_artifacts WHERE run_id = @run", Parameter("run", runId));

    private void Save(int runId, string kind, Stream data)
    {
        using (data)
            documents.Execute(
                "INSERT INTO run_artifacts (run_id, kind, data) VALUES (@run, @kind, @data) ON CONFLICT (run_id, kind) DO UPDATE SET data = excluded.data",
                Parameter("run", runId), Parameter("kind", kind), PostgresBlobs.Parameter("data", data));
    }

    private T? Load<T>(int runId, string kind, Func<Npgsql.NpgsqlDataReader, T> read) where T : class =>
        PostgresBlobs.Read(documents, "SELECT data FROM run_artifacts WHERE run_id = @run AND kind = @kind", read,
            Parameter("run", runId), Parameter("kind", kind));

    private string? LoadText(int runId, string kind) =>
        Load(runId, kind, reader => Encoding.UTF8.GetString(PostgresBlobs.ReadBytes(reader, 0)));
}
