using static Medvis.Core.Storage.Postgres.PostgresDocuments;

namespace Medvis.Core.Storage.Postgres;

/// <summary>The audit log in table <c>audit</c>, only appended to.</summary>
internal sealed class PostgresAuditLog(PostgresDocuments documents) : IAuditLog
{
    public AuditRecord Add(string userName, string action, string subject)
    {
        var record = new AuditRecord { AtUtc = DateTime.UtcNow, UserName = userName, Action = action, Subject = subject };
        record.Id = documents.Insert("INSERT INTO audit (doc) VALUES (@doc) RETURNING id", Doc(record));
        return record;
    }

    public IReadOnlyList<AuditRecord> Latest(int count) =>
        documents.Query<AuditRecord>("SELECT id, doc FROM audit ORDER BY id DESC LIMIT @n", (a, id) => a.Id = id, Parameter("n", count));
}
