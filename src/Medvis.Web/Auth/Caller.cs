namespace Medvis.Web.Auth;

/// <summary>
/// Who is asking, as the services see it: a signed-in user with a role, a visitor holding a share link, or nobody.
/// Built fresh from the database on every request, so a changed role or a disabled user counts at once.
/// </summary>
/// <param name="UserId">The user's id; 0 for share-link visitors, anonymous callers and the app itself.</param>
/// <param name="Name">The user name (what the audit log records).</param>
/// <param name="Role">The user's role; null for share-link visitors and anonymous callers.</param>
/// <param name="Share">The active share link a visitor opened, else null.</param>
public sealed record Caller(int UserId, string Name, UserRole? Role, ShareLinkRecord? Share)
{
    /// <summary>Someone who has not signed in.</summary>
    public static Caller Anonymous { get; } = new(0, "anonymous", null, null);

    /// <summary>The app acting on its own behalf (registering the demo on start).</summary>
    public static Caller System { get; } = new(0, "system", UserRole.Admin, null);

    /// <summary>A signed-in user (any role).</summary>
    public bool IsUser => Role is not null;

    /// <summary>True for users whose role is <paramref name="role"/> or above it.</summary>
    public bool IsAtLeast(UserRole role) => Role >= role;

    /// <summary>A caller for a stored user.</summary>
    public static Caller For(UserRecord user) => new(user.Id, user.Name, user.Role, null);

    /// <summary>A user acting through a personal API token: the token's role, never above the user's current one.</summary>
    public static Caller ForToken(UserRecord owner, ApiTokenRecord token) => new(owner.Id, owner.Name, token.EffectiveRole(owner.Role), null);

    /// <summary>A visitor holding a share link.</summary>
    public static Caller ForShare(ShareLinkRecord share) => new(0, $"share link {share.Id}", null, share);
}
