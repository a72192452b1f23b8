using static Medvis.Core.Storage.Postgres.PostgresDocuments;

namespace Medvis.Core.Storage.Postgres;

/// <summary>Tags on map points in table <c>annotations</c>.</summary>
internal sealed class PostgresAnnotationRepository(PostgresDocuments documents) : IAnnotationRepository
{
    private static readonly Action<AnnotationRecord, int> SetId = (a, id) => a.Id = id;

    public AnnotationRecord Add(int runId, string label, IReadOnlyCollection<int> pointIndices)
    {
        var record = AnnotationRecord.Create(runId, label, pointIndices);
        record.Id = documents.Insert("INSERT INTO annotations (run_id, doc) VALUES (@run, @doc) RETURNING id",
            Parameter("run", runId), Doc(record));
        return record;
    }

    public IReadOnlyList<AnnotationRecord> ForRun(int runId) =>
        documents.Query("SELECT id, doc FROM annotations WHERE run_id = @run ORDER BY id", SetId, Parameter("run", runId));

    public bool Delete(int id) => documents.Execute("DELETE FROM annotations WHERE id = @id", Parameter("id", id)) > 0;
}
