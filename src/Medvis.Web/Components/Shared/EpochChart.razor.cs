using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;
using PlotLayout = Plotly.Blazor.Layout;

namespace Medvis.Web.Components.Shared;

/// <summary>One value per finished epoch (loss, learning rate, …) with one line per training stage; redraws when <see cref="Revision"/> changes.</summary>
public partial class EpochChart
{
    private readonly IList<ITrace> _data = new List<ITrace>();
    private readonly Config _config = new() { Responsive = true, DisplayLogo = false };
    private PlotLayout _layout = new();
    private PlotlyChart? _chart;
    private int _drawnRevision = -1;
    private bool _rendered;

    /// <summary>Element id of the chart (for tests and exports).</summary>
    [Parameter] public string? Id { get; set; }
    [Parameter, EditorRequired] public IReadOnlyList<EpochPoint> Epochs { get; set; } = [];
    /// <summary>Changes whenever <see cref="Epochs"/> changes.</summary>
    [Parameter] public int Revision { get; set; }
    [Parameter] public string Title { get; set; } = "Loss";
    [Parameter] public Func<EpochPoint, double> Value { get; set; } = p => p.Loss;
    [Parameter] public bool LogScale { get; set; }
    /// <summary>Which epochs have a value to draw (all when null), e.g. only those that measured a kNN accuracy.</summary>
    [Parameter] public Func<EpochPoint, bool>? Include { get; set; }

    protected override void OnInitialized()
    {
        _layout = new PlotLayout
        {
            Title = ChartTitles.Below(Title),
            Margin = new Margin { L = 50, R = 10, T = ChartTitles.TopMargin, B = 40 },
            XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = "epoch" } }],
            YAxis = [new YAxis { Type = LogScale ? Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Log : null }],
        };
        Fill();
    }

    protected override async Task OnParametersSetAsync()
    {
        if (!_rendered || _chart is null || Revision == _drawnRevision) return;
        Fill();
        await _chart.React();
    }

    protected override void OnAfterRender(bool firstRender) => _rendered |= firstRender;

    private void Fill()
    {
        _drawnRevision = Revision;
        _data.Clear();
        foreach (var stage in Epochs.Where(p => Include?.Invoke(p) ?? true).GroupBy(p => p.Stage).OrderBy(g => g.Key))
            _data.Add(new Scatter
            {
                Name = $"stage {stage.Key}",
                Mode = ModeFlag.Lines | ModeFlag.Markers,
                X = stage.Select(p => (object)p.GlobalEpoch).ToList(),
                Y = stage.Select(p => (object)Value(p)).ToList(),
            });
    }
}
