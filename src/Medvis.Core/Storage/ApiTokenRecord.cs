namespace Medvis.Core.Storage;

/// <summary>
/// A user's personal API token: only the SHA-256 hash of its secret is kept, so a stolen database opens nothing. It
/// acts with <see cref="Role"/>, never above its owner's current role.
/// </summary>
public sealed class ApiTokenRecord
{
    public int Id { get; set; }
    /// <summary>The user the token acts for.</summary>
    public int UserId { get; set; }
    /// <summary>What the owner called it ("notebook", "CI").</summary>
    public string Name { get; set; } = "";
    /// <summary>The role the token asks for: its owner's role when it was made, or a lower one.</summary>
    public UserRole Role { get; set; } = UserRole.Viewer;
    /// <summary>Lower-case hex SHA-256 of the whole secret as sent (prefix included).</summary>
    public string SecretHash { get; set; } = "";
    public DateTime CreatedAtUtc { get; set; }
    /// <summary>When the token stops working; null: until revoked.</summary>
    public DateTime? ExpiresAtUtc { get; set; }
    /// <summary>When a request last authenticated with it (kept to the minute); null: never used.</summary>
    public DateTime? LastUsedAtUtc { get; set; }
    /// <summary>When it was revoked; null while it is not.</summary>
    public DateTime? RevokedAtUtc { get; set; }

    /// <summary>Whether the token still authenticates at <paramref name="nowUtc"/> (its owner aside).</summary>
    public bool IsActive(DateTime nowUtc) => RevokedAtUtc is null && (ExpiresAtUtc is null || ExpiresAtUtc > nowUtc);

    /// <summary>The role a request with this token gets: the lower of the token's and its owner's current role.</summary>
    public UserRole EffectiveRole(UserRole ownerRole) => Role <= ownerRole ? Role : ownerRole;

    /// <summary>Longest token name accepted.</summary>
    public const int MaxNameLength = 64;

    /// <summary>A new token record, checked the same way by every store; the name is trimmed.</summary>
    /// <exception cref="ArgumentException">An empty or too long name, or a hash that is not 64 hex digits.</exception>
    public static ApiTokenRecord Create(int userId, string name, UserRole role, string secretHash, DateTime createdAtUtc, DateTime? expiresAtUtc)
    {
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length is 0 or > MaxNameLength) throw new ArgumentException($"A token name needs 1 to {MaxNameLength} characters.");
        if (secretHash is not { Length: 64 } || !secretHash.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException("A token's hash must be 64 lower-case hex digits.");
        return new ApiTokenRecord
        {
            UserId = userId, Name = trimmed, Role = role, SecretHash = secretHash, CreatedAtUtc = createdAtUtc, ExpiresAtUtc = expiresAtUtc,
        };
    }
}
