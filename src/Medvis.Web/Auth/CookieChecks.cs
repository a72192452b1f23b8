using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Medvis.Web.Auth;

/// <summary>What the sign-in cookie does on each request and when access is refused.</summary>
public static class CookieChecks
{
    private static readonly PathString[] MachinePaths = [new("/api"), new("/hubs"), new("/_blazor"), new("/share"), new("/metrics")];

    /// <summary>
    /// Ends the session of a user who was disabled or removed and of a share link that was revoked or expired, and
    /// refreshes the role claim when an admin changed it.
    /// </summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var caller = context.HttpContext.RequestServices.GetRequiredService<CallerResolver>().Resolve(context.Principal);
        if (caller == Caller.Anonymous)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        if (caller.IsUser && !context.Principal!.IsInRole(caller.Role!.Value.ToString()))
        {
            var user = context.HttpContext.RequestServices.GetRequiredService<IMedvisStore>().Users.Get(caller.UserId)!;
            context.ReplacePrincipal(MedvisClaims.ForUser(user, CookieAuthenticationDefaults.AuthenticationScheme));
            context.ShouldRenew = true;
        }
    }

    /// <summary>API, hub, circuit, share-link and metrics requests: answered with status codes, never with pages.</summary>
    public static bool IsMachineRequest(PathString path) => MachinePaths.Any(path.StartsWithSegments);

    /// <summary>Pages redirect to the sign-in (or access-denied) page; API, hub and circuit requests get a bare status code.</summary>
    public static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsMachineRequest(context.Request.Path) || !HttpMethods.IsGet(context.Request.Method))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
