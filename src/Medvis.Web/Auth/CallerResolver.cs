using System.Globalization;
using System.Security.Claims;

namespace Medvis.Web.Auth;

/// <summary>Turns a request's or circuit's principal into a <see cref="Caller"/>, checking it against the database.</summary>
public sealed class CallerResolver(IMedvisStore database, TimeProvider clock)
{
    /// <summary>
    /// The caller behind <paramref name="principal"/>: anonymous when its user is gone or disabled, its API token was
    /// revoked or expired, or its share link no longer opens. A token's caller has the token's role, capped at the
    /// user's current one.
    /// </summary>
    public Caller Resolve(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true) return Caller.Anonymous;
        if (IdOf(principal, ClaimTypes.NameIdentifier) is { } userId)
        {
            if (database.Users.Get(userId) is not { Disabled: false } user) return Caller.Anonymous;
            if (IdOf(principal, MedvisClaims.TokenId) is not { } tokenId) return Caller.For(user);
            return database.ApiTokens.Get(tokenId) is { } token && token.UserId == user.Id && token.IsActive(clock.GetUtcNow().UtcDateTime)
                ? Caller.ForToken(user, token) : Caller.Anonymous;
        }
        if (IdOf(principal, MedvisClaims.ShareId) is { } shareId)
            return database.ShareLinks.Get(shareId) is { } share && share.IsActive(clock.GetUtcNow().UtcDateTime)
                ? Caller.ForShare(share) : Caller.Anonymous;
        return Caller.Anonymous;
    }

    private static int? IdOf(ClaimsPrincipal principal, string type) =>
        int.TryParse(principal.FindFirstValue(type), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
