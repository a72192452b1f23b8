namespace Medvis.Core.Storage;

/// <summary>Personal API tokens, found by the hash of their secret.</summary>
public interface IApiTokenRepository
{
    /// <summary>Stores a new token (made by <see cref="ApiTokenRecord.Create"/>) and returns it with its id.</summary>
    /// <exception cref="ArgumentException">Another token has the same hash.</exception>
    ApiTokenRecord Add(ApiTokenRecord token);
    /// <summary>The token with this id, or null.</summary>
    ApiTokenRecord? Get(int id);
    /// <summary>The token whose secret hashes to <paramref name="secretHash"/>, or null.</summary>
    ApiTokenRecord? FindByHash(string secretHash);
    /// <summary>The tokens of one user, revoked ones included, newest first.</summary>
    IReadOnlyList<ApiTokenRecord> ForUser(int userId);
    /// <summary>Stops a token from working from <paramref name="atUtc"/> on; false when there is none or it was revoked already.</summary>
    bool Revoke(int id, DateTime atUtc);
    /// <summary>Records that the token was used at <paramref name="atUtc"/>; false when there is none.</summary>
    bool MarkUsed(int id, DateTime atUtc);
}
