using System.Globalization;
using System.Text.Encodings.Web;
using Medvis.Core.Storage;
using Medvis.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Medvis.Web.Tests.Support;

/// <summary>
/// Signs a test client in as a stored user named by the <see cref="Header"/> request header (its id). Requests
/// without the header go to the app's real authentication (the cookie, or an API token on the REST API), so
/// anonymous clients, share links, tokens and the browser's sign-in stay real.
/// </summary>
public sealed class TestAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";
    public const string Header = "X-Test-User";
    private const string Selector = "TestOrCookie";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!int.TryParse(Request.Headers[Header], NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return Task.FromResult(AuthenticateResult.NoResult());
        var user = Context.RequestServices.GetRequiredService<IMedvisStore>().Users.Get(id);
        if (user is null) return Task.FromResult(AuthenticateResult.Fail($"no user {id}"));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(MedvisClaims.ForUser(user, SchemeName), SchemeName)));
    }

    /// <summary>Adds the scheme and makes requests carrying the header authenticate with it.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(SchemeName, _ => { })
            .AddPolicyScheme(Selector, Selector, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(Header) ? SchemeName : MedvisAuthentication.SchemeFor(context));
        services.PostConfigure<AuthenticationOptions>(o => o.DefaultAuthenticateScheme = Selector);
    }
}
