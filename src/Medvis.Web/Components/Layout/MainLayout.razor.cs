namespace Medvis.Web.Components.Layout;

/// <summary>App bar, navigation drawer and the page body.</summary>
public partial class MainLayout
{
    private bool _drawerOpen = true;

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;
}
