using Medvis.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Medvis.Web.Components.Layout;

/// <summary>App bar, navigation drawer (only the pages the caller may use) and the page body.</summary>
public partial class MainLayout : IDisposable
{
    [Inject] private CurrentCaller CurrentCaller { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private LiveSessions Sessions { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private bool _drawerOpen = true;
    private Caller _caller = Caller.Anonymous;
    private IDisposable? _session;

    protected override async Task OnInitializedAsync()
    {
        _caller = await CurrentCaller.GetAsync();
        // A live circuit keeps receiving run updates without new requests; it ends when its access is withdrawn.
        if (RendererInfo.IsInteractive && _caller != Caller.Anonymous)
            _session = Sessions.Register((await Authentication.GetAuthenticationStateAsync()).User, LeaveAsync);
    }

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    // A full load makes the next request's cookie check sign the visitor out.
    private Task LeaveAsync() => InvokeAsync(() => Navigation.NavigateTo("account/denied?reason=ended", forceLoad: true));

    public void Dispose() => _session?.Dispose();
}
