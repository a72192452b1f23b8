using Medvis.Web.Auth;
using Microsoft.AspNetCore.Components;

namespace Medvis.Web.Components.Layout;

/// <summary>App bar, navigation drawer (only the pages the caller may use) and the page body.</summary>
public partial class MainLayout
{
    [Inject] private CurrentCaller CurrentCaller { get; set; } = default!;

    private bool _drawerOpen = true;
    private Caller _caller = Caller.Anonymous;

    protected override async Task OnInitializedAsync() => _caller = await CurrentCaller.GetAsync();

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;
}
