using Microsoft.AspNetCore.Authentication.Cookies;

namespace Medvis.Web.Auth;

/// <summary>
/// Which authentication scheme a request uses: the sign-in cookie, except for REST API requests that carry a
/// bearer token. Pages, the hub, the circuit and the older /api routes never look at tokens, so a leaked token
/// cannot open a page or drive a user's session.
/// </summary>
public static class MedvisAuthentication
{
    /// <summary>The default scheme: a policy scheme forwarding to the cookie or the token handler.</summary>
    public const string Scheme = "medvis";

    /// <summary>The path of the REST API, the only one tokens authenticate.</summary>
    public static readonly PathString RestApiPath = new("/api/v1");

    /// <summary>The scheme <paramref name="context"/>'s request is authenticated, challenged and forbidden with.</summary>
    public static string SchemeFor(HttpContext context) =>
        context.Request.Path.StartsWithSegments(RestApiPath) && ApiTokens.BearerSecret(context.Request) is not null
            ? ApiTokenAuthenticationHandler.SchemeName
            : CookieAuthenticationDefaults.AuthenticationScheme;
}
