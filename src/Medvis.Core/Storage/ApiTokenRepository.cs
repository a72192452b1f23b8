using LiteDB;

namespace Medvis.Core.Storage;

/// <summary>Personal API tokens in the LiteDB file, indexed by the hash of their secret.</summary>
public sealed class ApiTokenRepository(ILiteDatabase db) : IApiTokenRepository
{
    internal const string Collection = "api_tokens";
    private ILiteCollection<ApiTokenRecord> Items => db.GetCollection<ApiTokenRecord>(Collection);

    /// <inheritdoc />
    public ApiTokenRecord Add(ApiTokenRecord token)
    {
        if (FindByHash(token.SecretHash) is not null) throw new ArgumentException("There is already a token with that secret.");
        Items.Insert(token);
        return token;
    }

    /// <inheritdoc />
    public ApiTokenRecord? Get(int id) => Items.FindById(id);

    /// <inheritdoc />
    public ApiTokenRecord? FindByHash(string secretHash) => Items.FindOne(t => t.SecretHash == secretHash);

    /// <inheritdoc />
    public IReadOnlyList<ApiTokenRecord> ForUser(int userId) => Items.Find(t => t.UserId == userId).OrderByDescending(t => t.Id).ToList();

    /// <inheritdoc />
    public bool Revoke(int id, DateTime atUtc)
    {
        var record = Items.FindById(id);
        if (record is null || record.RevokedAtUtc is not null) return false;
        record.RevokedAtUtc = atUtc;
        return Items.Update(record);
    }

    /// <inheritdoc />
    public bool MarkUsed(int id, DateTime atUtc)
    {
        var record = Items.FindById(id);
        if (record is null) return false;
        record.LastUsedAtUtc = atUtc;
        return Items.Update(record);
    }
}
