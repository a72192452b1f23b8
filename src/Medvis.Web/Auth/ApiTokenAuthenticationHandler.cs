using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Medvis.Web.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer mvs_…</c> requests with a personal API token. Only requests to the REST API
/// ever reach it (see <see cref="MedvisAuthentication.SchemeFor"/>); a refused token gets a bare 401 with a
/// <c>WWW-Authenticate: Bearer</c> challenge.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiToken";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ApiTokens.BearerSecret(Request) is not { } secret) return Task.FromResult(AuthenticateResult.NoResult());
        if (tokens.Authenticate(secret) is not { } found)
            return Task.FromResult(AuthenticateResult.Fail("The API token is unknown, expired or revoked, or its user is disabled."));
        var principal = MedvisClaims.ForToken(found.Owner, found.Token, SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
