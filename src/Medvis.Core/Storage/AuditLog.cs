using LiteDB;

namespace Medvis.Core.Storage;

/// <summary>Who registered, queued, cancelled or deleted what, and when; only ever appended to.</summary>
public sealed class AuditLog(ILiteDatabase db) : IAuditLog
{
    internal const string Collection = "audit";
    private ILiteCollection<AuditRecord> Items => db.GetCollection<AuditRecord>(Collection);

    /// <summary>Appends one entry stamped with the current time.</summary>
    public AuditRecord Add(string userName, string action, string subject)
    {
        var record = new AuditRecord { AtUtc = DateTime.UtcNow, UserName = userName, Action = action, Subject = subject };
        Items.Insert(record);
        return record;
    }

    /// <summary>The latest <paramref name="count"/> entries, newest first.</summary>
    public IReadOnlyList<AuditRecord> Latest(int count) =>
        Items.Query().OrderByDescending(a => a.Id).Limit(count).ToList();
}
