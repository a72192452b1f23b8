using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Medvis.Web.Components.Shared;

/// <summary>
/// A map of any size drawn with WebGL (wwwroot/largemap.js): the page fetches the points once as binary columns
/// (api/runs/{id}/points.bin) and keeps them on the GPU; hover and lasso come back here as a position or a polygon
/// and are answered by the server's spatial index (<see cref="LargeMaps"/>), so no per-point object crosses the
/// circuit. Reports the hovered point like <see cref="ClassScatter"/> does. On a run's page a drawn lasso goes to the
/// parent as <see cref="Lassoed"/>, which passes the outline it keeps back as <see cref="Lasso"/>, whose points this
/// view then asks the index for and reports as <see cref="PointsSelected"/>; zoom comes in as <see cref="Zoom"/> and
/// goes out through <see cref="ZoomChanged"/>. A page that draws other points than a run's own (Compare: aligned
/// maps) gives their <see cref="Source"/> and the queries that answer hover and lasso over them, and can push a
/// linked selection, a marked point and a colour overlay into the view.
/// </summary>
public sealed partial class LargeMapCanvas : IAsyncDisposable
{
    [Inject] private IJSRuntime Js { get; set; } = default!;
    [Inject] private LargeMaps Maps { get; set; } = default!;

    /// <summary>The run whose map is drawn.</summary>
    [Parameter, EditorRequired] public int RunId { get; set; }
    /// <summary>Points in the map (for the caption).</summary>
    [Parameter] public int Count { get; set; }
    [Parameter, EditorRequired] public IReadOnlyList<string> ClassNames { get; set; } = [];
    [Parameter] public EventCallback<int> PointHovered { get; set; }
    [Parameter] public EventCallback<int[]> PointsSelected { get; set; }
    /// <summary>A lasso drawn on the map (data units).</summary>
    [Parameter] public EventCallback<DrawnLasso> Lassoed { get; set; }
    /// <summary>The lasso shown and selected (data units); null: none.</summary>
    [Parameter] public IReadOnlyList<Medvis.Core.Maps.PlanePoint>? Lasso { get; set; }
    /// <summary>
    /// Axis ranges shown (null: the whole map): when the map opens, and whenever the page passes other ranges than the
    /// view shows (a compare page zooms every aligned map with the one the person zoomed).
    /// </summary>
    [Parameter] public MapZoom? Zoom { get; set; }
    /// <summary>The person zoomed, panned or reset the view (null: the whole map).</summary>
    [Parameter] public EventCallback<MapZoom?> ZoomChanged { get; set; }
    /// <summary>URL of the binary point columns; default: the run's own map.</summary>
    [Parameter] public string? Source { get; set; }
    /// <summary>Answers a hover (x, y, radius, hidden classes) when the points are not the run's own map.</summary>
    [Parameter] public Func<double, double, double, IReadOnlySet<int>?, HoveredPoint?>? FindNearest { get; set; }
    /// <summary>Answers a lasso (vertex xs, ys, hidden classes) when the points are not the run's own map.</summary>
    [Parameter] public Func<double[], double[], IReadOnlySet<int>?, int[]>? FindInLasso { get; set; }
    /// <summary>False where the page shows one legend for several views (it hides classes through <see cref="SetHiddenAsync"/>).</summary>
    [Parameter] public bool ShowLegend { get; set; } = true;
    /// <summary>Raised once the view has drawn its points for the first time.</summary>
    [Parameter] public EventCallback Drawn { get; set; }
    /// <summary>File name of the PNG export.</summary>
    [Parameter] public string? PngName { get; set; }

    private string PointsUrl => Source ?? $"api/runs/{RunId}/points.bin";

    // What the page asked for before the view had its points; applied once it has.
    private (byte[]? Bits, bool KeepLasso)? _pendingSelection;
    private string? _pendingValues;
    private int? _pendingMark;

    private ElementReference _host;
    private IJSObjectReference? _module;
    private IJSObjectReference? _view;
    private DotNetObjectReference<LargeMapCanvas>? _self;
    private readonly HashSet<int> _hidden = [];
    private string _mode = "lasso";
    private bool _densityRamp;
    private string? _error;
    private IReadOnlyList<Medvis.Core.Maps.PlanePoint>? _shownLasso;
    private MapZoom? _shownZoom;
    private bool _ready;

    protected override void OnInitialized() => _ = Task.Run(() => Maps.Prepare(RunId));

    protected override async Task OnParametersSetAsync()
    {
        var zoomChanged = _ready && !SameZoom(Zoom, _shownZoom);
        var lassoChanged = !ReferenceEquals(Lasso, _shownLasso);
        (_shownZoom, _shownLasso) = (zoomChanged ? Zoom : _shownZoom, Lasso);
        // Before the view exists the zoom and the lasso wait for it (OnAfterRenderAsync); the selection need not.
        // Both calls leave at once, in this render, and the browser runs them in order: a page that sends a selection
        // after rendering (Compare) relies on a lasso's end reaching the view first, and the outline kept (not the
        // path drawn) is shown before the selection the index finds for it.
        var range = zoomChanged ? CallAsync("setRange", Zoom?.ToArray()) : Task.CompletedTask;
        var outline = lassoChanged && _ready ? ShowLassoAsync() : Task.CompletedTask;
        if (lassoChanged) await SelectLassoAsync();
        await range;
        await outline;
    }

    private async Task SelectLassoAsync()
    {
        if (Lasso is not { Count: >= 3 } lasso) return;
        await PointsSelected.InvokeAsync(await FindInLassoAsync(lasso.Select(p => p.X).ToArray(), lasso.Select(p => p.Y).ToArray()));
    }

    /// <summary>The points inside a lasso, from the page's query when it draws other points than the run's own map.</summary>
    private Task<int[]> FindInLassoAsync(double[] xs, double[] ys)
    {
        var hidden = _hidden.ToHashSet();
        var find = FindInLasso;
        return Task.Run(() => find is not null ? find(xs, ys, hidden) : Maps.InLasso(RunId, xs, ys, hidden));
    }

    private Task ShowLassoAsync() => Lasso is { Count: >= 3 } lasso
        ? CallAsync("setLasso", lasso.Select(p => p.X).ToArray(), lasso.Select(p => p.Y).ToArray())
        : CallAsync("clearLasso");

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        _self = DotNetObjectReference.Create(this);
        try
        {
            _module = await Js.InvokeAsync<IJSObjectReference>("import", "./largemap.js");
            var palette = Enumerable.Range(0, Math.Max(1, ClassNames.Count)).Select(ClassPalette.Of).ToArray();
            _view = await _module.InvokeAsync<IJSObjectReference>("create", _host, PointsUrl, _self, new { palette });
            _ready = true;
            if (_hidden.Count > 0) await CallAsync("setHidden", _hidden.ToArray());
            // A link's zoom and lasso, shown once the points are drawn.
            _shownZoom = Zoom;
            if (Zoom is { } zoom) await CallAsync("setRange", zoom.ToArray());
            if (Lasso is not null) await ShowLassoAsync();
            if (_pendingSelection is { } selection) await CallAsync("setSelection", selection.Bits, selection.KeepLasso);
            if (_pendingValues is not null) await CallAsync("setValues", _pendingValues);
            if (_pendingMark is { } mark) await CallAsync("markPoint", mark);
            await Drawn.InvokeAsync();
        }
        catch (JSException e)
        {
            _error = $"The map cannot be drawn in this browser: {e.Message.ReplaceLineEndings(" ")}";
            StateHasChanged();
        }
        catch (JSDisconnectedException)
        {
            // The page was left while the map loaded.
        }
    }

    /// <summary>The page asks for the point nearest to a position (data units) within a radius; null when none.</summary>
    [JSInvokable]
    public async Task<HoveredPoint?> OnHover(double x, double y, double radius)
    {
        var hidden = _hidden.Count == 0 ? null : _hidden.ToHashSet();
        var found = FindNearest is { } find ? find(x, y, radius, hidden) : Maps.Nearest(RunId, x, y, radius, hidden);
        if (found is not null) await PointHovered.InvokeAsync(found.Point);
        return found;
    }

    /// <summary>The page finished a lasso (vertices in data units): the parent decides the outline kept (<see cref="Lasso"/>).</summary>
    [JSInvokable]
    public async Task OnLasso(double[] xs, double[] ys)
    {
        if (xs is null || ys is null || xs.Length != ys.Length || xs.Length > LargeMaps.MaxLassoVertices) return;
        if (Lassoed.HasDelegate)
        {
            // The page keeps the outline (its address holds it) and passes it back as Lasso, which selects.
            await Lassoed.InvokeAsync(new DrawnLasso(xs.Zip(ys, (x, y) => new Medvis.Core.Maps.PlanePoint(x, y)).ToArray()));
            // The same outline again (a lasso that reduces to the kept one) still gets the page's picture back in line.
            if (ReferenceEquals(Lasso, _shownLasso)) await ShowLassoAsync();
            return;
        }
        await PointsSelected.InvokeAsync(await FindInLassoAsync(xs, ys));
    }

    /// <summary>The page's view moved: its axis ranges (null: the whole map).</summary>
    [JSInvokable]
    public Task OnZoomed(double[]? range)
    {
        // The view shows it already: the page's rounded copy coming back as Zoom must not move it again.
        _shownZoom = MapZoom.From(range);
        return ZoomChanged.InvokeAsync(_shownZoom);
    }

    // The same ranges up to the address's rounding (a thousandth of the span, far below a pixel).
    private static bool SameZoom(MapZoom? a, MapZoom? b) =>
        a is { } x ? b is { } y && x.IsCloseTo(y) : b is null;

    private async Task SetModeAsync(string mode)
    {
        _mode = mode;
        await CallAsync("setMode", mode);
    }

    private async Task SetDensityRampAsync(bool on)
    {
        _densityRamp = on;
        await CallAsync("setDensityRamp", on);
    }

    private async Task ToggleClassAsync(int label)
    {
        if (!_hidden.Remove(label)) _hidden.Add(label);
        await CallAsync("setHidden", _hidden.ToArray());
    }

    private Task ResetAsync() => CallAsync("reset");

    private Task DownloadPngAsync() => CallAsync("downloadPng", PngName ?? $"run-{RunId}-map.png");

    /// <summary>Hides the classes <paramref name="classes"/> (and shows the others), from a legend the page shares between views.</summary>
    public async Task SetHiddenAsync(IEnumerable<int> classes)
    {
        _hidden.Clear();
        _hidden.UnionWith(classes);
        await CallAsync("setHidden", _hidden.ToArray());
    }

    /// <summary>
    /// Draws the points outside a selection grey: <paramref name="bits"/> holds bit i%8 of byte i/8 for point i
    /// (null: no selection). A selection made in another view drops this view's lasso outline unless <paramref name="keepLasso"/>.
    /// </summary>
    public async Task SetSelectionAsync(byte[]? bits, bool keepLasso)
    {
        _pendingSelection = (bits, keepLasso);
        await CallAsync("setSelection", bits, keepLasso);
    }

    /// <summary>Rings point <paramref name="point"/> (the same image hovered in another view); -1 removes the ring.</summary>
    public async Task MarkAsync(int point)
    {
        _pendingMark = point;
        await CallAsync("markPoint", point);
    }

    /// <summary>Colours the points by one byte each from <paramref name="url"/> on a colour ramp (0 to 255); null: by class again.</summary>
    public async Task SetValuesAsync(string? url)
    {
        _pendingValues = url;
        await CallAsync("setValues", url);
    }

    private async Task CallAsync(string function, params object?[] arguments)
    {
        if (_module is null || _view is null) return;
        try
        {
            await _module.InvokeVoidAsync(function, [_view, .. arguments]);
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; nothing to update.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_module is not null && _view is not null) await _module.InvokeVoidAsync("dispose", _view);
            if (_view is not null) await _view.DisposeAsync();
            if (_module is not null) await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone with its WebGL context.
        }
        _self?.Dispose();
    }
}
