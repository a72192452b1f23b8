namespace Medvis.Web.Auth;

/// <summary>
/// Refuses hub requests (SignalR at /hubs, the Blazor circuit at /_blazor) whose Origin is another site: WebSockets
/// are not covered by the browser's same-origin policy, so a foreign page could otherwise drive a signed-in
/// user's connection.
/// </summary>
public sealed class CrossOriginHubGuard(RequestDelegate next)
{
    private static readonly PathString[] GuardedPaths = [new("/hubs"), new("/_blazor")];

    public Task InvokeAsync(HttpContext context)
    {
        if (IsGuarded(context.Request.Path) && !IsSameOrigin(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }
        return next(context);
    }

    private static bool IsGuarded(PathString path) => GuardedPaths.Any(p => path.StartsWithSegments(p));

    /// <summary>No Origin (a non-browser client) or one naming the host the request was sent to.</summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin)) return true;
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
