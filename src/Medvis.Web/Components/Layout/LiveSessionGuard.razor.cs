using Medvis.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Medvis.Web.Components.Layout;

/// <summary>
/// Registers a live circuit with <see cref="LiveSessions"/>: it keeps receiving run updates without new requests, so it
/// ends when its access is withdrawn (a revoked or expired share link, a disabled user). Every layout holds one.
/// </summary>
public partial class LiveSessionGuard : IDisposable
{
    [Inject] private CurrentCaller CurrentCaller { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private LiveSessions Sessions { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private IDisposable? _session;

    protected override async Task OnInitializedAsync()
    {
        if (RendererInfo.IsInteractive && await CurrentCaller.GetAsync() != Caller.Anonymous)
            _session = Sessions.Register((await Authentication.GetAuthenticationStateAsync()).User, LeaveAsync);
    }

    // A full load makes the next request's cookie check sign the visitor out.
    private Task LeaveAsync() => InvokeAsync(() => Navigation.NavigateTo("account/denied?reason=ended", forceLoad: true));

    public void Dispose() => _session?.Dispose();
}
