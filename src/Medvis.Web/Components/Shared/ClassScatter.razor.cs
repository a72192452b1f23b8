using Microsoft.JSInterop;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterGlLib;
using PlotLayout = Plotly.Blazor.Layout;

namespace Medvis.Web.Components.Shared;

/// <summary>
/// A 2-D map drawn with WebGL, one trace per class (so the legend toggles classes), optional highlighted extra
/// points (out-of-sample images), hover and clicks reported as map point indices, lassos and boxes reported as their
/// outline (<see cref="Lassoed"/>), and the zoom kept across redraws and reported (<see cref="ZoomChanged"/>).
/// Redraws when <see cref="Revision"/> changes.
/// </summary>
public partial class ClassScatter : IDisposable
{
    private readonly IList<ITrace> _data = new List<ITrace>();
    private readonly Config _config = new() { Responsive = true, DisplayLogo = false };
    private readonly List<int[]> _pointsOfTrace = [];
    private PlotLayout _layout = new();
    private PlotlyChart? _chart;
    private object? _drawnRevision;
    private bool _plotted; // Plotly has drawn the first time: the loading sign goes
    private bool _rendered;
    private bool _narrow; // drawn on a screen narrower than NarrowPixels (a phone): legend below, pan instead of lasso
    private int _bottomMargin;
    private MapZoom? _zoom;          // what the chart shows now (null: the whole map)
    private MapZoom? _zoomParameter; // the last Zoom the parent passed
    private DotNetObjectReference<ClassScatter>? _self;

    [Inject] private IJSRuntime Js { get; set; } = default!;

    /// <summary>Element id of the chart: hover, clicks, zoom and lassos are reported through it (see medvis.trackMap).</summary>
    [Parameter, EditorRequired] public string Id { get; set; } = "";
    [Parameter, EditorRequired] public float[] X { get; set; } = [];
    [Parameter, EditorRequired] public float[] Y { get; set; } = [];
    [Parameter, EditorRequired] public int[] Labels { get; set; } = [];
    [Parameter, EditorRequired] public IReadOnlyList<string> ClassNames { get; set; } = [];
    /// <summary>Map point index of each drawn point (default: its position); hover and selection report these.</summary>
    [Parameter] public int[]? PointIndices { get; set; }
    /// <summary>Changes whenever the data changes.</summary>
    [Parameter] public object? Revision { get; set; }
    [Parameter] public string? Title { get; set; }
    [Parameter] public int Height { get; set; } = 600;
    /// <summary>Start in lasso mode and report selections.</summary>
    [Parameter] public bool Selectable { get; set; }
    /// <summary>Extra points drawn on top (uploaded images), reported on hover as -(i+1).</summary>
    [Parameter] public float[]? HighlightX { get; set; }
    [Parameter] public float[]? HighlightY { get; set; }
    /// <summary>Draw Plotly's own legend (off where the page shows one legend for several maps).</summary>
    [Parameter] public bool ShowLegend { get; set; } = true;
    /// <summary>Make the plot as tall as it is wide, whatever its column's width, instead of <see cref="Height"/> pixels tall.</summary>
    [Parameter] public bool Square { get; set; }
    /// <summary>Fill the window's height below the page's header (CSS class medvis-map-height) instead of <see cref="Height"/> pixels.</summary>
    [Parameter] public bool FillHeight { get; set; }
    /// <summary>Selected point indices (as reported): the others are drawn grey behind them for context. Null: none.</summary>
    [Parameter] public IReadOnlySet<int>? Selection { get; set; }
    /// <summary>Per drawn point a value in [0, 1] that colours it on <see cref="ColorScaleName"/> instead of its class colour.</summary>
    [Parameter] public double[]? ColorValues { get; set; }
    /// <summary>Plotly colour scale of <see cref="ColorValues"/>.</summary>
    [Parameter] public string ColorScaleName { get; set; } = "Viridis";
    /// <summary>Classes not drawn.</summary>
    [Parameter] public IReadOnlySet<int>? HiddenClasses { get; set; }
    /// <summary>Markers this many times their usual size (which shrinks with the point count); larger for a projector.</summary>
    [Parameter] public double MarkerScale { get; set; } = 1;
    /// <summary>Type size of axes and hover labels (null: plotly's default), larger for a projector.</summary>
    [Parameter] public int? FontSize { get; set; }
    /// <summary>Name of the grey points behind <see cref="Selection"/> (legend and hover).</summary>
    [Parameter] public string ContextName { get; set; } = "not selected";
    /// <summary>Value of <see cref="ColorValues"/> drawn at the low end of the scale.</summary>
    [Parameter] public double ColorMin { get; set; }
    /// <summary>Value of <see cref="ColorValues"/> drawn at the high end of the scale.</summary>
    [Parameter] public double ColorMax { get; set; } = 1;
    /// <summary>Title of a colour bar for <see cref="ColorValues"/>; null draws none.</summary>
    [Parameter] public string? ColorBarTitle { get; set; }
    /// <summary>Groups of points ringed on top of the map (neighbours of a clicked point).</summary>
    [Parameter] public IReadOnlyList<MarkedPoints>? Marked { get; set; }
    /// <summary>Hover text of each <see cref="HighlightX"/> point (file name, predicted class); "uploaded image" when null.</summary>
    [Parameter] public IReadOnlyList<string>? HighlightNames { get; set; }
    /// <summary>A click on a point, reported like <see cref="PointHovered"/>.</summary>
    [Parameter] public EventCallback<int> PointClicked { get; set; }
    [Parameter] public EventCallback<int> PointHovered { get; set; }
    /// <summary>
    /// A lasso or box drawn (in lasso mode, see <see cref="Selectable"/>): its outline in map units, skipping the
    /// points of traces hidden from the legend. The parent decides what it selects and passes the outline back as
    /// <see cref="Outline"/>; a click or a redraw reports nothing, so it never ends a selection.
    /// </summary>
    [Parameter] public EventCallback<DrawnLasso> Lassoed { get; set; }
    /// <summary>A lasso's outline drawn dashed over the map (map units); null draws none.</summary>
    [Parameter] public IReadOnlyList<Medvis.Core.Maps.PlanePoint>? Outline { get; set; }
    /// <summary>Axis ranges to show; null: the whole map. A change moves the chart without redrawing its points.</summary>
    [Parameter] public MapZoom? Zoom { get; set; }
    /// <summary>The person zoomed, panned or reset the chart (null: the whole map), needs <see cref="Id"/>.</summary>
    [Parameter] public EventCallback<MapZoom?> ZoomChanged { get; set; }

    protected override void OnInitialized()
    {
        _zoom = _zoomParameter = Zoom;
        _layout = new PlotLayout
        {
            Title = Title is null ? null : ChartTitles.Below(Title),
            // The top margin holds Plotly's toolbar, so it never covers the legend, which starts at the plot's top, nor
            // the points of a small map, where it would take the start of a lasso. A square chart keeps a square plot:
            // as much margin across as down.
            Margin = new Margin { L = 30, R = Square ? TopMargin : 10, T = TopMargin, B = 30 },
            DragMode = Selectable ? DragModeEnum.Lasso : DragModeEnum.Zoom,
            ShowLegend = ShowLegend,
            // Legend markers at a readable constant size, whatever the (tiny) marker size of a large map.
            Legend = [new Plotly.Blazor.LayoutLib.Legend
            {
                ItemSizing = Plotly.Blazor.LayoutLib.LegendLib.ItemSizingEnum.Constant,
                Y = 1,
                YAnchor = Plotly.Blazor.LayoutLib.LegendLib.YAnchorEnum.Top,
                Font = new Plotly.Blazor.LayoutLib.LegendLib.Font { Size = 13 },
            }],
            HoverMode = HoverModeEnum.Closest,
            XAxis = [new XAxis { ShowGrid = false, ZeroLine = false }],
            YAxis = [new YAxis { ShowGrid = false, ZeroLine = false, ScaleAnchor = "x" }],
        };
        if (FontSize is { } size)
        {
            _layout.Font = new Plotly.Blazor.LayoutLib.Font { Size = size };
            _layout.Margin = new Margin { L = 2 * size + 20, R = 10, T = Title is null ? 10 : ChartTitles.TopMarginFor(size), B = 2 * size + 10 };
        }
        _bottomMargin = (int)(_layout.Margin.B ?? 30);
        Fill();
    }

    protected override async Task OnParametersSetAsync()
    {
        var moved = false;
        if (!Equals(Zoom, _zoomParameter))
        {
            _zoomParameter = Zoom;
            // The chart that reported a zoom gets it back (rounded): only a real change moves it.
            moved = !(Zoom is { } z && _zoom is { } current && z.IsCloseTo(current)) && !(Zoom is null && _zoom is null);
            if (moved) _zoom = Zoom;
        }
        if (!_rendered || _chart is null) return;
        if (!Equals(Revision, _drawnRevision))
        {
            Fill();
            await _chart.React();
        }
        else if (moved)
            await Js.InvokeVoidAsync("medvis.setMapRange", Id, _zoom?.ToArray());
    }

    protected override void OnAfterRender(bool firstRender) => _rendered |= firstRender;

    private void Fill()
    {
        _drawnRevision = Revision;
        if (Title is not null) _layout.Title = ChartTitles.Below(Title, FontSize);
        // The colour bar gets a strip of its own at the chart's bottom: drawn inside the chart, never under the axis.
        _layout.Margin.B = _bottomMargin + (HasColourBar ? ColourBarPixels : 0);
        FitToWidth();
        // The zoom goes into every redraw: without it a redraw (rings, a new colouring) would show the whole map again.
        var (xAxis, yAxis) = (_layout.XAxis[0], _layout.YAxis[0]);
        xAxis.Range = _zoom is { } z ? [z.X0, z.X1] : null;
        yAxis.Range = _zoom is { } zy ? [zy.Y0, zy.Y1] : null;
        xAxis.AutoRange = _zoom is null ? Plotly.Blazor.LayoutLib.XAxisLib.AutoRangeEnum.True : Plotly.Blazor.LayoutLib.XAxisLib.AutoRangeEnum.False;
        yAxis.AutoRange = _zoom is null ? Plotly.Blazor.LayoutLib.YAxisLib.AutoRangeEnum.True : Plotly.Blazor.LayoutLib.YAxisLib.AutoRangeEnum.False;
        _layout.Shapes = Outline is { Count: >= 3 } outline ? [OutlineShape(outline)] : null;
        _data.Clear();
        _pointsOfTrace.Clear();
        var markerSize = (int)Math.Round((X.Length > 20_000 ? 2 : X.Length > 3_000 ? 3 : 5) * MarkerScale);
        var shown = Enumerable.Range(0, Labels.Length).Where(i => HiddenClasses?.Contains(Labels[i]) != true).ToArray();
        if (Selection is not null)
        {
            var others = shown.Where(i => !Selection.Contains(PointIndexOf(i))).ToArray();
            AddTrace(others, ContextName, ContextGrey, markerSize, 0.35m, Escape(ContextName));
            shown = shown.Where(i => Selection.Contains(PointIndexOf(i))).ToArray();
        }
        if (ColorValues is not null) AddValueTrace(shown, markerSize);
        else
            for (var c = 0; c < ClassNames.Count; c++)
            {
                var members = shown.Where(i => Labels[i] == c).ToArray();
                AddTrace(members, ClassNames[c], ClassPalette.Of(c), markerSize, 0.8m, Escape(ClassNames[c]));
            }
        foreach (var group in Marked ?? [])
            AddMarkedTrace(group, markerSize);
        if (HighlightX is { Length: > 0 } hx && HighlightY is { } hy)
        {
            _pointsOfTrace.Add(Enumerable.Range(0, hx.Length).Select(i => -(i + 1)).ToArray());
            _data.Add(new ScatterGl
            {
                Name = "uploaded",
                Mode = ModeFlag.Markers,
                X = hx.Select(v => (object)v).ToList(),
                Y = hy.Select(v => (object)v).ToList(),
                Marker = new Marker { Color = "#000000", Size = 12, Symbol = Plotly.Blazor.Traces.ScatterGlLib.MarkerLib.SymbolEnum.Star },
                TextArray = HighlightNames?.Select(Escape).ToList(),
                HoverTemplate = HighlightNames is null ? "uploaded image<extra></extra>" : "%{text}<extra></extra>",
            });
        }
    }

    /// <summary>Unselected points: light enough to read as background, dark enough to show the map's shape.</summary>
    private const string ContextGrey = "#c8c8c8";

    private int PointIndexOf(int position) => PointIndices?[position] ?? position;

    private void AddTrace(int[] members, string name, string color, int markerSize, decimal opacity, string hoverText)
    {
        if (members.Length == 0) return;
        _pointsOfTrace.Add(members.Select(PointIndexOf).ToArray());
        _data.Add(new ScatterGl
        {
            Name = name,
            Mode = ModeFlag.Markers,
            X = members.Select(i => (object)X[i]).ToList(),
            Y = members.Select(i => (object)Y[i]).ToList(),
            Marker = new Marker { Color = color, Size = markerSize, Opacity = opacity },
            HoverTemplate = $"{hoverText}<extra></extra>",
        });
    }

    /// <summary>Rings around a group of points, drawn above the classes; reported like the points they ring.</summary>
    private void AddMarkedTrace(MarkedPoints group, int markerSize)
    {
        var positions = group.Points.Select(p => PointIndices is null ? p : Array.IndexOf(PointIndices, p))
            .Where(i => i >= 0 && i < X.Length).ToArray();
        if (positions.Length == 0) return;
        _pointsOfTrace.Add(positions.Select(PointIndexOf).ToArray());
        _data.Add(new ScatterGl
        {
            Name = group.Name,
            Mode = ModeFlag.Markers,
            X = positions.Select(i => (object)X[i]).ToList(),
            Y = positions.Select(i => (object)Y[i]).ToList(),
            Marker = new Marker
            {
                Color = group.Color, Size = Math.Max(markerSize * 2 + 4, 10),
                Symbol = Plotly.Blazor.Traces.ScatterGlLib.MarkerLib.SymbolEnum.CircleOpen,
                Line = new Plotly.Blazor.Traces.ScatterGlLib.MarkerLib.Line { Color = group.Color, Width = 2 },
            },
            HoverTemplate = $"{Escape(group.Name)}<extra></extra>",
        });
    }

    /// <summary>One trace coloured by <see cref="ColorValues"/>, with a colour bar when <see cref="ColorBarTitle"/> is set.</summary>
    private void AddValueTrace(int[] members, int markerSize)
    {
        if (members.Length == 0) return;
        _pointsOfTrace.Add(members.Select(PointIndexOf).ToArray());
        _data.Add(new ScatterGl
        {
            Name = ColorBarTitle ?? "value",
            ShowLegend = ColorBarTitle is null,
            Mode = ModeFlag.Markers,
            X = members.Select(i => (object)X[i]).ToList(),
            Y = members.Select(i => (object)Y[i]).ToList(),
            Marker = new Marker
            {
                ColorArray = members.Select(i => (object)(float)ColorValues![i]).ToList(),
                ColorScale = ColorScaleName,
                CMin = (decimal)ColorMin,
                CMax = (decimal)ColorMax,
                ShowScale = ColorBarTitle is not null,
                // Below the plot, so it never sits under the legend, in the strip the bottom margin keeps for it.
                ColorBar = ColorBarTitle is null ? null : new Plotly.Blazor.Traces.ScatterGlLib.MarkerLib.ColorBar
                {
                    Title = new Plotly.Blazor.Traces.ScatterGlLib.MarkerLib.ColorBarLib.Title { Text = Escape(ColorBarTitle) },
                    Orientation = Plotly.Blazor.Traces.ScatterGlLib.MarkerLib.ColorBarLib.OrientationEnum.H,
                    YRef = Plotly.Blazor.Traces.ScatterGlLib.MarkerLib.ColorBarLib.YRefEnum.Container,
                    Y = 0,
                    YPad = 4,
                    YAnchor = Plotly.Blazor.Traces.ScatterGlLib.MarkerLib.ColorBarLib.YAnchorEnum.Bottom,
                    Len = 0.7m,
                    Thickness = 12,
                },
                Size = markerSize,
                Opacity = 0.85m,
            },
            HoverTemplate = (ColorBarTitle is null ? "" : Escape(ColorBarTitle) + " ") + "%{marker.color:.4g}<extra></extra>",
        });
    }

    private int TopMargin => Title is null ? (ShowLegend ? 36 : ChartTitles.ToolbarPixels) : ChartTitles.TopMargin;

    private bool HasColourBar => ColorValues is not null && ColorBarTitle is not null;

    /// <summary>Height of the strip below the axis that holds the colour bar: its title, the bar and its tick labels.</summary>
    private const int ColourBarPixels = 64;

    /// <summary>
    /// Screens narrower than this (a phone) get the legend below the plot and pan instead of the lasso. The screen, not
    /// the map's column: Compare's maps sit in narrow columns of a wide screen and keep their lasso there.
    /// </summary>
    private const int NarrowPixels = 600;

    /// <summary>
    /// A phone's screen: the legend below the plot, so the plot keeps the width, and one finger pans, as on any map
    /// app; Plotly's lasso takes no taps, panning does, and a tap reports a click (see <see cref="OnClick"/>).
    /// </summary>
    private void FitToWidth()
    {
        var legend = _layout.Legend[0];
        legend.Orientation = _narrow ? Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H : null;
        legend.X = _narrow ? 0 : null;
        legend.Y = _narrow ? -0.12m : 1;
        legend.YAnchor = Plotly.Blazor.LayoutLib.LegendLib.YAnchorEnum.Top;
        _layout.DragMode = _narrow ? DragModeEnum.Pan : Selectable ? DragModeEnum.Lasso : DragModeEnum.Zoom;
    }

    /// <summary>A square map, no wider than the page allows through --medvis-map-side (Compare fits its grid to the window).</summary>
    private string PlotStyle => Square ? "width: 100%; aspect-ratio: 1 / 1; max-width: var(--medvis-map-side, none); margin-inline: auto"
        : FillHeight ? "height: calc(100vh - var(--medvis-map-offset, 300px)); min-height: 340px" : $"height: {Height}px";

    private void SubscribeEvents()
    {
        if (_chart is null) return;
        _ = InvokeAsync(async () =>
        {
            if (!_plotted)
            {
                _plotted = true;
                StateHasChanged();
                if (await Js.InvokeAsync<double>("medvis.screenWidth") < NarrowPixels)
                {
                    _narrow = true;
                    Fill();
                    await _chart.React();
                }
            }
            if (Selectable) await Js.InvokeVoidAsync("medvis.clicksInSelectModes", Id);
            // Hover and clicks too go through medvis.trackMap, not Plotly.Blazor's subscriptions: those look the chart up
            // when Plotly's script has loaded and fail, stopping the charts queued after them, where it was removed
            // meanwhile. The chart keeps its zoom across redraws (a replay's frames, new rings); lassos only where selectable.
            _self ??= DotNetObjectReference.Create(this);
            await Js.InvokeVoidAsync("medvis.trackMap", Id, _self);
        });
    }

    /// <summary>The page reports the axis ranges after the person zoomed, panned or reset (null: the whole map).</summary>
    [JSInvokable]
    public async Task OnZoomed(double[]? range)
    {
        _zoom = MapZoom.From(range);
        // Where the parent keeps no zoom of its own (the replay), "the whole map" is the view it gave, not this
        // frame's points: back to it, so the axes stay steady.
        if (_zoom is null && Zoom is { } given && !ZoomChanged.HasDelegate)
        {
            _zoom = given;
            await Js.InvokeVoidAsync("medvis.setMapRange", Id, given.ToArray());
        }
        await ZoomChanged.InvokeAsync(_zoom);
    }

    /// <summary>The page reports a drawn lasso or box (map units) and the traces hidden from the legend.</summary>
    [JSInvokable]
    public async Task OnLassoed(double[] xs, double[] ys, int[] hiddenTraces)
    {
        if (!Selectable || xs is null || ys is null || xs.Length != ys.Length) return;
        var outline = xs.Zip(ys, (x, y) => new Medvis.Core.Maps.PlanePoint(x, y)).ToArray();
        var hidden = new HashSet<int>((hiddenTraces ?? []).Where(t => t >= 0 && t < _pointsOfTrace.Count).SelectMany(t => _pointsOfTrace[t]));
        // A point drawn in a visible trace too (a ringed neighbour) stays selectable.
        foreach (var visible in Enumerable.Range(0, _pointsOfTrace.Count).Except(hiddenTraces ?? []))
            hidden.ExceptWith(_pointsOfTrace[visible]);
        await Lassoed.InvokeAsync(new DrawnLasso(outline, hidden.Count == 0 ? null : hidden.Contains));
    }

    /// <summary>The lasso's outline: dashed, with a faint fill under the points, as the large map draws it.</summary>
    private static Shape OutlineShape(IReadOnlyList<Medvis.Core.Maps.PlanePoint> outline)
    {
        var path = string.Join(" ", outline.Select((p, i) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(i == 0 ? "M" : "L")}{p.X},{p.Y}"))) + " Z";
        return new Shape
        {
            Type = Plotly.Blazor.LayoutLib.ShapeLib.TypeEnum.Path,
            Path = path,
            XRef = "x",
            YRef = "y",
            Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Color = "#222222", Width = 1.5m, Dash = "dash" },
            FillColor = "rgba(30, 30, 30, 0.04)",
            Layer = Plotly.Blazor.LayoutLib.ShapeLib.LayerEnum.Below,
        };
    }

    public void Dispose()
    {
        _self?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The page reports the point under the pointer: its trace and its index in that trace.</summary>
    [JSInvokable]
    public async Task OnPointHovered(int trace, int index)
    {
        if (MapIndex(trace, index) is { } point) await PointHovered.InvokeAsync(point);
    }

    /// <summary>
    /// The page reports a click on a point. It shows what hover shows before what the click does itself: a tap on a
    /// touch screen hovers nothing first.
    /// </summary>
    [JSInvokable]
    public async Task OnPointClicked(int trace, int index)
    {
        if (MapIndex(trace, index) is not { } point) return;
        await PointHovered.InvokeAsync(point);
        await PointClicked.InvokeAsync(point);
    }

    private int? MapIndex(int trace, int index)
    {
        if (trace < 0 || trace >= _pointsOfTrace.Count) return null;
        var members = _pointsOfTrace[trace];
        return index >= 0 && index < members.Length ? members[index] : null;
    }

    private static string Escape(string text) => System.Net.WebUtility.HtmlEncode(text);
}

/// <summary>Points to ring on a map, with the legend name and colour of the rings.</summary>
/// <param name="Name">Legend and hover name, e.g. "map neighbours".</param>
/// <param name="Color">CSS colour of the rings.</param>
/// <param name="Points">Map point indices (as <see cref="ClassScatter.PointIndices"/> reports them).</param>
public sealed record MarkedPoints(string Name, string Color, IReadOnlyList<int> Points);
