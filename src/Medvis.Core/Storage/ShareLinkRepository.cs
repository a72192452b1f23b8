using LiteDB;

namespace Medvis.Core.Storage;

/// <summary>Read-only share links and whether each still works.</summary>
public sealed class ShareLinkRepository(ILiteDatabase db) : IShareLinkRepository
{
    internal const string Collection = "shares";
    private ILiteCollection<ShareLinkRecord> Items => db.GetCollection<ShareLinkRecord>(Collection);

    /// <summary>Stores a new link to one run or a comparison of two to four runs.</summary>
    /// <exception cref="ArgumentException">The number of runs does not fit the kind.</exception>
    public ShareLinkRecord Add(ShareKind kind, IReadOnlyCollection<int> runIds, string createdBy, DateTime? expiresAtUtc)
    {
        var record = ShareLinkRecord.Create(kind, runIds, createdBy, expiresAtUtc);
        Items.Insert(record);
        return record;
    }

    public ShareLinkRecord? Get(int id) => Items.FindById(id);

    /// <summary>Links that show <paramref name="runId"/>, newest first.</summary>
    public IReadOnlyList<ShareLinkRecord> ForRun(int runId) =>
        Items.FindAll().Where(s => s.RunIds.Contains(runId)).OrderByDescending(s => s.Id).ToList();

    /// <summary>Stops a link from opening; false when there is no such link.</summary>
    public bool Revoke(int id)
    {
        var record = Items.FindById(id);
        if (record is null) return false;
        record.Revoked = true;
        return Items.Update(record);
    }
}
