using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using PlotLayout = Plotly.Blazor.Layout;

namespace Medvis.Web.Components.Shared;

/// <summary>Overall kNN accuracy and silhouette, and both per class as bar charts in the class colours.</summary>
public partial class MetricsPanel
{
    private readonly Config _config = new() { Responsive = true, DisplayLogo = false };
    private IList<ITrace> _knnBars = new List<ITrace>();
    private IList<ITrace> _silhouetteBars = new List<ITrace>();
    private PlotLayout _knnLayout = new();
    private PlotLayout _silhouetteLayout = new();

    [Parameter] public RunMetrics? Metrics { get; set; }

    protected override void OnParametersSet()
    {
        if (Metrics is null) return;
        _knnBars = [Bars(Metrics.KnnRecallPerClass)];
        _silhouetteBars = [Bars(Metrics.SilhouettePerClass)];
        _knnLayout = ChartLayout("kNN accuracy per class", 0, 1);
        _silhouetteLayout = ChartLayout("Silhouette per class", -1, 1);
    }

    private Bar Bars(double?[] values) => new()
    {
        X = Metrics!.ClassNames.Cast<object>().ToList(),
        Y = values.Select(v => v is { } d ? (object)Math.Round(d, 4) : null!).ToList(),
        Marker = new Plotly.Blazor.Traces.BarLib.Marker
        {
            ColorArray = Enumerable.Range(0, values.Length).Select(c => (object)ClassPalette.Of(c)).ToList(),
        },
    };

    private static PlotLayout ChartLayout(string title, double min, double max) => new()
    {
        Title = new Title { Text = title },
        Margin = new Margin { L = 40, R = 10, T = 40, B = 80 },
        YAxis = [new YAxis { Range = [min, max] }],
    };
}
