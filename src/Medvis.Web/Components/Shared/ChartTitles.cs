using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.LayoutLib.TitleLib;

namespace Medvis.Web.Components.Shared;

/// <summary>
/// Chart titles below Plotly's toolbar: the toolbar shows over the top strip of a chart while the pointer is on it,
/// so a title centred in that strip would be covered on any chart narrower than title and toolbar side by side.
/// </summary>
public static class ChartTitles
{
    /// <summary>Pixels from the chart's top the toolbar takes (its buttons and their padding).</summary>
    public const int ToolbarPixels = 30;

    /// <summary>Top margin a chart with a title needs: the toolbar's strip, then the title's line.</summary>
    public const int TopMargin = ToolbarPixels + 30;

    /// <summary>A title whose top sits just under the toolbar's strip.</summary>
    public static Title Below(string text, int? fontSize = null) => new()
    {
        Text = text,
        YRef = YRefEnum.Container,
        Y = 1,
        YAnchor = YAnchorEnum.Top,
        Pad = new Pad { T = ToolbarPixels },
        Font = fontSize is { } size ? new Plotly.Blazor.LayoutLib.TitleLib.Font { Size = size } : null,
    };

    /// <summary>The top margin of a chart titled in type of <paramref name="fontSize"/> pixels (Plotly's default: 17).</summary>
    public static int TopMarginFor(int? fontSize) => fontSize is { } size ? ToolbarPixels + 2 * size + 6 : TopMargin;
}
