using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.BarLib;
using PlotLayout = Plotly.Blazor.Layout;

namespace Medvis.Web.Components.Shared;

/// <summary>
/// Per-class bar charts laid out so every class label shows at any column width: classes run down the y axis,
/// one row per class, the chart grows with the number of classes and the left margin with the longest name.
/// </summary>
public static class ClassBars
{
    private const int RowPixels = 22;
    private const int ChromePixels = ChartTitles.TopMargin + 40;

    /// <summary>One horizontal bar per class; undefined values leave a gap.</summary>
    public static Bar Horizontal(IReadOnlyList<string> classNames, IReadOnlyList<double?> values, string? name = null, object? color = null) => new()
    {
        Name = name,
        Orientation = OrientationEnum.H,
        Y = classNames.Cast<object>().ToList(),
        X = values.Select(v => v is { } d ? (object)Math.Round(d, 4) : null!).ToList(),
        Marker = color is null
            ? new Marker { ColorArray = Enumerable.Range(0, classNames.Count).Select(c => (object)Core.Maps.ClassPalette.Of(c)).ToList() }
            : new Marker { Color = color },
    };

    /// <summary>A layout with <paramref name="min"/>–<paramref name="max"/> along x and every class name as a y tick, first class on top.</summary>
    public static PlotLayout Layout(string title, double min, double max, bool showLegend = false) => new()
    {
        Title = ChartTitles.Below(title),
        Margin = new Margin { L = 10, R = 10, T = ChartTitles.TopMargin, B = showLegend ? 60 : 30 },
        ShowLegend = showLegend,
        Legend = showLegend ? [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.15m }] : null,
        BarMode = BarModeEnum.Group,
        XAxis = [new XAxis { Range = [min, max] }],
        YAxis = [new YAxis { AutoMargin = Plotly.Blazor.LayoutLib.YAxisLib.AutoMarginFlag.True, AutoRange = Plotly.Blazor.LayoutLib.YAxisLib.AutoRangeEnum.Reversed, TickMode = Plotly.Blazor.LayoutLib.YAxisLib.TickModeEnum.Linear, DTick = 1 }],
    };

    /// <summary>Pixels a chart of <paramref name="classes"/> rows of <paramref name="barsPerClass"/> bars needs to show every label.</summary>
    public static int HeightPixels(int classes, int barsPerClass = 1, bool showLegend = false) =>
        ChromePixels + (showLegend ? 40 : 0) + classes * RowPixels * Math.Max(1, (barsPerClass + 1) / 2);
}
