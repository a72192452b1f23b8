using System.Globalization;
using System.Security.Claims;

namespace Medvis.Web.Auth;

/// <summary>Turns a request's or circuit's principal into a <see cref="Caller"/>, checking it against the database.</summary>
public sealed class CallerResolver(IMedvisStore database, TimeProvider clock)
{
    /// <summary>The caller behind <paramref name="principal"/>: anonymous when its user is gone or disabled or its share link no longer opens.</summary>
    public Caller Resolve(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true) return Caller.Anonymous;
        if (IdOf(principal, ClaimTypes.NameIdentifier) is { } userId)
            return database.Users.Get(userId) is { Disabled: false } user ? Caller.For(user) : Caller.Anonymous;
        if (IdOf(principal, MedvisClaims.ShareId) is { } shareId)
            return database.ShareLinks.Get(shareId) is { } share && share.IsActive(clock.GetUtcNow().UtcDateTime)
                ? Caller.ForShare(share) : Caller.Anonymous;
        return Caller.Anonymous;
    }

    private static int? IdOf(ClaimsPrincipal principal, string type) =>
        int.TryParse(principal.FindFirstValue(type), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
