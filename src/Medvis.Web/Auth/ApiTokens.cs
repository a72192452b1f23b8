using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Medvis.Web.Auth;

/// <summary>A new token, or why none was made (one line).</summary>
/// <param name="Token">The stored token (its hash, never its secret).</param>
/// <param name="Secret">The secret to show once: <c>mvs_</c> and 43 characters.</param>
/// <param name="Error">Why no token was made.</param>
public sealed record ApiTokenCreation(ApiTokenRecord? Token, string? Secret, string? Error);

/// <summary>A request's token and its owner, once the secret checked out.</summary>
public sealed record AuthenticatedToken(ApiTokenRecord Token, UserRecord Owner);

/// <summary>
/// Personal API tokens: a 256-bit random secret shown once, kept as its SHA-256 hash with a name, a role (the
/// creator's or a lower one), an optional expiry and the last time it was used. Creating and revoking are audited.
/// </summary>
public sealed class ApiTokens(IMedvisStore database, TimeProvider clock)
{
    /// <summary>What every secret starts with, so scanners and people recognise a leaked one.</summary>
    public const string Prefix = "mvs_";

    /// <summary>
    /// How stale the stored last-used time may get: a script polling every second would otherwise write to the
    /// store on every request.
    /// </summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    // 32 random bytes are 43 characters of unpadded base64url.
    private const int SecretLength = 43;

    /// <summary>Makes a token for the caller; the secret in the result is the only copy there will ever be.</summary>
    /// <exception cref="AccessDeniedException">The caller is no user, or asks for a role above their own.</exception>
    public ApiTokenCreation Create(Caller caller, string? name, UserRole role, DateTime? expiresAtUtc)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanCreateApiToken(caller, role), caller, $"create a token with the role {role}");
        var now = clock.GetUtcNow().UtcDateTime;
        if (expiresAtUtc is { } expiry && expiry <= now) return new(null, null, "The expiry must lie in the future.");
        var secret = Prefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        ApiTokenRecord token;
        try
        {
            token = database.ApiTokens.Add(ApiTokenRecord.Create(caller.UserId, name ?? "", role, HashOf(secret), now, expiresAtUtc));
        }
        catch (ArgumentException e)
        {
            return new(null, null, e.Message);
        }
        database.Audit.Add(caller.Name, "created API token", Describe(token));
        return new(token, secret, null);
    }

    /// <summary>The caller's own tokens, revoked ones included, newest first.</summary>
    public IReadOnlyList<ApiTokenRecord> OwnedBy(Caller caller) => caller.IsUser && caller.UserId != 0 ? database.ApiTokens.ForUser(caller.UserId) : [];

    /// <summary>Stops a token from working at once; false when it was revoked already.</summary>
    /// <exception cref="ArgumentException">There is no such token.</exception>
    /// <exception cref="AccessDeniedException">The caller neither owns it nor is an admin.</exception>
    public bool Revoke(Caller caller, int tokenId)
    {
        var token = database.ApiTokens.Get(tokenId) ?? throw new ArgumentException($"Token {tokenId} does not exist.");
        AccessDeniedException.ThrowUnless(AccessRules.CanRevokeApiToken(caller, token), caller, "revoke this token");
        if (!database.ApiTokens.Revoke(tokenId, clock.GetUtcNow().UtcDateTime)) return false;
        database.Audit.Add(caller.Name, "revoked API token", Describe(token));
        return true;
    }

    /// <summary>
    /// The active token <paramref name="secret"/> stands for and its enabled owner, or null (malformed, unknown,
    /// revoked, expired, or its owner disabled or gone). Records the use.
    /// </summary>
    public AuthenticatedToken? Authenticate(string? secret)
    {
        if (secret is null || secret.Length != Prefix.Length + SecretLength || !secret.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        if (database.ApiTokens.FindByHash(HashOf(secret)) is not { } token || !token.IsActive(now)) return null;
        if (database.Users.Get(token.UserId) is not { Disabled: false } owner) return null;
        if (token.LastUsedAtUtc is not { } used || now - used >= LastUsedResolution)
        {
            database.ApiTokens.MarkUsed(token.Id, now);
            token.LastUsedAtUtc = now;
        }
        return new(token, owner);
    }

    /// <summary>The secret of an <c>Authorization: Bearer …</c> header, or null when the request has none.</summary>
    public static string? BearerSecret(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
    }

    /// <summary>Lower-case hex SHA-256 of the secret as sent.</summary>
    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Describe(ApiTokenRecord token) =>
        $"\"{token.Name}\" (token {token.Id.ToString(CultureInfo.InvariantCulture)}, {token.Role}, "
        + (token.ExpiresAtUtc is { } expiry ? $"expires {expiry.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)" : "no expiry)");
}
