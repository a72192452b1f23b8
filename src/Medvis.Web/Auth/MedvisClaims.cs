using System.Security.Claims;

namespace Medvis.Web.Auth;

/// <summary>Claim types and authorization policy names of the app.</summary>
public static class MedvisClaims
{
    /// <summary>The id of the share link a visitor opened.</summary>
    public const string ShareId = "medvis:share";

    /// <summary>The id of the personal API token a request authenticated with.</summary>
    public const string TokenId = "medvis:token";

    /// <summary>Policy: a signed-in user of any role (the fallback for every endpoint).</summary>
    public const string UserPolicy = "user";

    /// <summary>Policy: a signed-in user or a share-link visitor (run views, run images and the hub).</summary>
    public const string ReaderPolicy = "reader";

    /// <summary>Policy: members and admins.</summary>
    public const string MemberPolicy = "member";

    /// <summary>Policy: admins.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>The identity a sign-in cookie carries for a user.</summary>
    public static ClaimsPrincipal ForUser(UserRecord user, string scheme) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Name, user.Name),
        new Claim(ClaimTypes.Role, user.Role.ToString()),
    ], scheme));

    /// <summary>
    /// The identity of a request sent with a personal API token: its owner, with the token's role capped at the
    /// owner's current one, and the token's id (so <see cref="CallerResolver"/> rechecks the token too).
    /// </summary>
    public static ClaimsPrincipal ForToken(UserRecord owner, ApiTokenRecord token, string scheme) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, owner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Name, owner.Name),
        new Claim(ClaimTypes.Role, token.EffectiveRole(owner.Role).ToString()),
        new Claim(TokenId, token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ], scheme));

    /// <summary>The identity a share-link visitor's cookie carries.</summary>
    public static ClaimsPrincipal ForShare(ShareLinkRecord share, string scheme) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.Name, $"share link {share.Id}"),
        new Claim(ShareId, share.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ], scheme));
}
