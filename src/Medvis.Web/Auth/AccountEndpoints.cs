using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace Medvis.Web.Auth;

/// <summary>Sign-in, sign-out, the set-up link, set-password links and share links: the requests that set or clear the cookie.</summary>
public static class AccountEndpoints
{
    /// <summary>The rate-limiter policy of sign-in attempts.</summary>
    public const string SignInRateLimit = "sign-in";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").AllowAnonymous();
        account.MapPost("/login", SignInAsync).RequireRateLimiting(SignInRateLimit);
        account.MapPost("/logout", (Delegate)SignOutAsync);
        account.MapGet("/setup", SetUpAsync).RequireRateLimiting(SignInRateLimit);
        account.MapPost("/set-password", SetPasswordAsync).RequireRateLimiting(SignInRateLimit);
        app.MapGet("/share/{token}", OpenShareAsync).AllowAnonymous().RequireRateLimiting(SignInRateLimit);
        return app;
    }

    /// <summary>Checks name and password; on success sets the cookie and goes to <paramref name="returnUrl"/>.</summary>
    public static async Task<IResult> SignInAsync(
        HttpContext context, AccountService accounts, IMedvisStore database,
        [FromForm] string? name, [FromForm] string? password, [FromForm] string? returnUrl)
    {
        if (accounts.Verify(name ?? "", password ?? "") is not { } user)
            return TypedResults.LocalRedirect($"~/account/login?error=1&returnUrl={Uri.EscapeDataString(LocalOrHome(returnUrl))}");
        await SignInAsUserAsync(context, user);
        database.Audit.Add(user.Name, "signed in", "");
        return TypedResults.LocalRedirect("~" + LocalOrHome(returnUrl));
    }

    public static async Task<IResult> SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.LocalRedirect("~/account/login");
    }

    /// <summary>The one-time set-up link: signs in as the admin and opens the app.</summary>
    public static async Task<IResult> SetUpAsync(HttpContext context, AdminSetup setup, string? token)
    {
        if (setup.Redeem(token) is not { } admin) return TypedResults.LocalRedirect("~/account/login?error=setup");
        await SignInAsUserAsync(context, admin);
        return TypedResults.LocalRedirect("~/");
    }

    /// <summary>Sets a password: with an invitation token for anyone, without one for the signed-in user.</summary>
    public static async Task<IResult> SetPasswordAsync(
        HttpContext context, AccountService accounts, CallerResolver callers,
        [FromForm] string? token, [FromForm] string? password, [FromForm] string? confirmation)
    {
        password ??= "";
        confirmation ??= "";
        if (!string.IsNullOrEmpty(token))
        {
            var (user, error) = accounts.SetPasswordWithToken(token, password, confirmation);
            if (user is null) return TypedResults.LocalRedirect($"~/account/set-password?token={Uri.EscapeDataString(token)}&error={Uri.EscapeDataString(error!)}");
            await SignInAsUserAsync(context, user);
            return TypedResults.LocalRedirect("~/");
        }
        var caller = callers.Resolve(context.User);
        if (!caller.IsUser) return TypedResults.Unauthorized();
        if (accounts.SetPassword(caller.UserId, password, confirmation) is { } problem)
            return TypedResults.LocalRedirect($"~/account/set-password?error={Uri.EscapeDataString(problem)}");
        return TypedResults.LocalRedirect("~/account/set-password?done=1");
    }

    /// <summary>Opens a share link: a visitor without an account gets a read-only cookie for its runs.</summary>
    public static async Task<IResult> OpenShareAsync(HttpContext context, ShareLinks shares, CallerResolver callers, string token)
    {
        if (shares.Open(token) is not { } link) return TypedResults.NotFound("This link does not exist, has expired or was revoked.");
        // A signed-in user keeps their own session: they may read the run anyway.
        if (!callers.Resolve(context.User).IsUser)
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                MedvisClaims.ForShare(link, CookieAuthenticationDefaults.AuthenticationScheme));
        return TypedResults.LocalRedirect("~" + ShareLinks.PageOf(link));
    }

    private static Task SignInAsUserAsync(HttpContext context, UserRecord user) =>
        context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, MedvisClaims.ForUser(user, CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>Only paths on this site: an open redirect would let a link send a user anywhere after signing in.</summary>
    private static string LocalOrHome(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";
}
