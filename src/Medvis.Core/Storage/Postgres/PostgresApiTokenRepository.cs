using Npgsql;
using static Medvis.Core.Storage.Postgres.PostgresDocuments;

namespace Medvis.Core.Storage.Postgres;

/// <summary>Personal API tokens in table <c>api_tokens</c>; the hash is unique, the owner indexed.</summary>
internal sealed class PostgresApiTokenRepository(PostgresDocuments documents) : IApiTokenRepository
{
    private static readonly Action<ApiTokenRecord, int> SetId = (t, id) => t.Id = id;

    public ApiTokenRecord Add(ApiTokenRecord token)
    {
        try
        {
            token.Id = documents.Insert("INSERT INTO api_tokens (user_id, secret_hash, doc) VALUES (@user, @hash, @doc) RETURNING id",
                Parameter("user", token.UserId), Parameter("hash", token.SecretHash), Doc(token));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ArgumentException("There is already a token with that secret.", e);
        }
        return token;
    }

    public ApiTokenRecord? Get(int id) =>
        documents.Query("SELECT id, doc FROM api_tokens WHERE id = @id", SetId, Parameter("id", id)).SingleOrDefault();

    public ApiTokenRecord? FindByHash(string secretHash) =>
        documents.Query("SELECT id, doc FROM api_tokens WHERE secret_hash = @hash", SetId, Parameter("hash", secretHash)).SingleOrDefault();

    public IReadOnlyList<ApiTokenRecord> ForUser(int userId) =>
        documents.Query("SELECT id, doc FROM api_tokens WHERE user_id = @user ORDER BY id DESC", SetId, Parameter("user", userId));

    public bool Revoke(int id, DateTime atUtc)
    {
        var revoked = false;
        documents.Update<ApiTokenRecord>("api_tokens", id, t =>
        {
            if (t.RevokedAtUtc is not null) return;
            t.RevokedAtUtc = atUtc;
            revoked = true;
        }, SetId);
        return revoked;
    }

    public bool MarkUsed(int id, DateTime atUtc) =>
        documents.Update<ApiTokenRecord>("api_tokens", id, t => t.LastUsedAtUtc = atUtc, SetId) is not null;
}
