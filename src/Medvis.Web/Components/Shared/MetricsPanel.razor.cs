using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
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

    /// <summary>Draw the per-class charts (off where a page shows one shared per-class chart for several runs).</summary>
    [Parameter] public bool ShowClassCharts { get; set; } = true;

    private string ChartStyle => $"height: {ClassBars.HeightPixels(Metrics?.ClassNames.Count ?? 0)}px";

    protected override void OnParametersSet()
    {
        if (Metrics is null) return;
        _knnBars = [ClassBars.Horizontal(Metrics.ClassNames, Metrics.KnnRecallPerClass)];
        _silhouetteBars = [ClassBars.Horizontal(Metrics.ClassNames, Metrics.SilhouettePerClass)];
        _knnLayout = ClassBars.Layout("kNN accuracy per class", 0, 1);
        _silhouetteLayout = ClassBars.Layout("Silhouette per class", -1, 1);
    }
}
