using static Medvis.Core.Storage.Postgres.PostgresDocuments;

namespace Medvis.Core.Storage.Postgres;

/// <summary>Share links in table <c>share_links</c>, with their run ids in an array column to find them by run.</summary>
internal sealed class PostgresShareLinkRepository(PostgresDocuments documents) : IShareLinkRepository
{
    private static readonly Action<ShareLinkRecord, int> SetId = (s, id) => s.Id = id;

    public ShareLinkRecord Add(ShareKind kind, IReadOnlyCollection<int> runIds, string createdBy, DateTime? expiresAtUtc)
    {
        var record = ShareLinkRecord.Create(kind, runIds, createdBy, expiresAtUtc);
        record.Id = documents.Insert("INSERT INTO share_links (run_ids, doc) VALUES (@runs, @doc) RETURNING id",
            Parameter("runs", record.RunIds), Doc(record));
        return record;
    }

    public ShareLinkRecord? Get(int id) =>
        documents.Query("SELECT id, doc FROM share_links WHERE id = @id", SetId, Parameter("id", id)).SingleOrDefault();

    public IReadOnlyList<ShareLinkRecord> ForRun(int runId) =>
        documents.Query("SELECT id, doc FROM share_links WHERE @run = ANY(run_ids) ORDER BY id DESC", SetId, Parameter("run", runId));

    public bool Revoke(int id) => documents.Update<ShareLinkRecord>("share_links", id, s => s.Revoked = true, SetId) is not null;
}
