using Medvis.Core.Comparison;
using Medvis.Core.Maps;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Medvis.Web.Components.Shared;

/// <summary>
/// Compare for maps over <see cref="MedvisOptions.LargeMapPoints"/> points: each map aligned to the first and drawn by
/// <see cref="LargeMapCanvas"/> from binary columns (api/compare/points.bin), hover and lasso answered by a grid index
/// per aligned map, the selection pushed to every map as a bitset (unselected points grey), and the neighbourhood
/// overlay, cohesion, moved-most list and per-class deltas once the background neighbour search has finished. Plotly
/// would receive every point as JSON through the circuit and hang on a million. Zoom, lasso and picked image are one
/// state for all the maps (they are aligned), as on the small compare page: they come in as <see cref="View"/> (a
/// link) and go out through <see cref="ViewChanged"/> for the page's address.
/// </summary>
public sealed partial class LargeCompareView : IDisposable
{
    private const int PreviewSize = 200;
    private const int MovedShown = 12;

    [Inject] private LargeComparisons Comparisons { get; set; } = default!;
    [Inject] private IOptions<MedvisOptions> Options { get; set; } = default!;
    [Inject] private RunResults Results { get; set; } = default!;

    /// <summary>The runs compared, the first being the reference.</summary>
    [Parameter, EditorRequired] public IReadOnlyList<int> RunIds { get; set; } = [];

    /// <summary>Who looks: access to the runs, and the share panel for those who may share.</summary>
    [Parameter] public Auth.Caller Caller { get; set; } = Auth.Caller.Anonymous;

    /// <summary>The zoom, lasso and picked image to show when the comparison opens (from the address).</summary>
    [Parameter] public MapViewState View { get; set; } = MapViewState.Empty;

    /// <summary>The person zoomed, drew or cleared a lasso, or picked an image.</summary>
    [Parameter] public EventCallback<MapViewState> ViewChanged { get; set; }

    private readonly LargeMapCanvas?[] _canvases = new LargeMapCanvas?[RunComparisons.MaxRuns];
    private readonly HashSet<int> _hiddenClasses = [];
    private readonly HashSet<int> _drawn = [];
    private readonly CancellationTokenSource _gone = new();
    private string? _openedKey;
    private LargeComparison? _comparison;
    private string? _problem;
    private bool _hasImages;
    private IReadOnlyList<RunMetrics?> _metrics = [];
    private MapComparison? _neighbourhoods;
    private string? _neighbourhoodProblem;
    private IReadOnlyList<IReadOnlyList<MovedImage>> _moved = [];
    private IReadOnlyList<ClassComparisonRow> _classRows = [];
    private bool _colourByKept;
    private HashSet<int> _selection = [];
    private ComparedSelection? _selected;
    private int? _hovered;
    // One view for every map (see ComparedView); a lasso's map selects its points itself, through the index.
    private MapZoom? _zoom;
    private PlanePoint[]? _lasso;
    private int _lassoMap;
    private int? _picked;
    // The selection waits for the next render to reach the maps: a map losing its lasso clears its grey as it renders.
    private bool _selectionUnsent;

    private string Key => string.Join(',', RunIds);
    private int LargeMapPoints => Options.Value.LargeMapPoints;
    private int MapColumns => _comparison?.Runs.Count == 4 ? 2 : _comparison?.Runs.Count ?? 2;
    private string PointsUrl(int map) => $"api/compare/points.bin?runs={Key}&map={map}";

    private string NeighbourhoodStatus =>
        _neighbourhoodProblem is not null ? $"The neighbourhoods could not be searched: {_neighbourhoodProblem}"
        : _neighbourhoods is null && _drawn.Count < (_comparison?.Runs.Count ?? 0) ? "The neighbourhoods are searched once the maps are drawn."
        : _neighbourhoods is null ? $"Searching each image's {MapNeighbourhoods.DefaultK} nearest neighbours in every map ({_comparison?.SharedCount:N0} images × {_comparison?.Runs.Count} maps, through a grid; tens of seconds for a million images on a busy machine). The maps, hover and lasso work meanwhile; the neighbourhood colouring, how together each map keeps a selection, the images that moved most and the per-class table follow."
        : $"Neighbourhoods of {_comparison?.SharedCount:N0} images in {_comparison?.Runs.Count} maps searched in {_comparison?.NeighbourSeconds:F1} s.";

    protected override async Task OnParametersSetAsync()
    {
        if (Key == _openedKey) return;
        _openedKey = Key;
        (_comparison, _problem, _neighbourhoods, _neighbourhoodProblem) = (null, null, null, null);
        _selection = [];
        _selected = null;
        _hovered = null;
        (_zoom, _lasso, _lassoMap, _picked, _selectionUnsent) = (null, null, 0, null, false);
        _colourByKept = false;
        _hiddenClasses.Clear();
        var (comparison, problem) = await Comparisons.OpenAsync(Caller, RunIds.ToList());
        (_comparison, _problem) = (comparison, problem);
        if (comparison is null) return;
        _hasImages = comparison.Runs[0].HasImages();
        _metrics = comparison.Runs.Select(r => Results.Metrics(r.Id)).ToList();
        _drawn.Clear();
        Restore(comparison, View);
        _ = Task.Run(comparison.Prepare);
        // Already searched (the comparison is cached): show at once; else the search starts once every map is drawn.
        if (comparison.NeighbourhoodsIfReady is not null) _ = ShowNeighbourhoodsAsync(comparison);
    }

    // The neighbour searches take every core for a while: they start once the maps are on screen, not before.
    private void OnDrawn(int map)
    {
        if (_comparison is not { } comparison || !_drawn.Add(map) || _drawn.Count < comparison.Runs.Count) return;
        _ = ShowNeighbourhoodsAsync(comparison);
    }

    // Waits for the background neighbour search, then fills in what needs it; the page stays live meanwhile.
    private async Task ShowNeighbourhoodsAsync(LargeComparison comparison)
    {
        MapComparison? found = null;
        string? problem = null;
        try
        {
            found = await comparison.Neighbourhoods.WaitAsync(_gone.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
        }
        var moved = found is null ? [] : Enumerable.Range(1, comparison.Runs.Count - 1).Select(m => found.MovedMost(m, MovedShown)).ToList();
        var rows = found is null ? [] : comparison.ClassAgreementRows(found);
        await InvokeAsync(() =>
        {
            if (!ReferenceEquals(comparison, _comparison)) return;
            (_neighbourhoods, _neighbourhoodProblem, _moved, _classRows) = (found, problem, moved, rows);
            if (_selection.Count > 0) _selected = comparison.Describe(_selection, PreviewSize);
            StateHasChanged();
        });
    }

    private async Task OnColourChangedAsync(bool byKept)
    {
        if (_neighbourhoods is null) return;
        _colourByKept = byKept;
        // The overlay colours every point by its value: hidden classes show again, in every map.
        _hiddenClasses.Clear();
        for (var map = 0; map < _comparison!.Runs.Count; map++)
            if (_canvases[map] is { } canvas)
            {
                await canvas.SetHiddenAsync([]);
                await canvas.SetValuesAsync(byKept ? $"api/compare/kept.bin?runs={Key}&map={map}" : null);
            }
    }

    private async Task ToggleClassAsync(int label)
    {
        if (!_hiddenClasses.Remove(label)) _hiddenClasses.Add(label);
        foreach (var canvas in _canvases)
            if (canvas is not null) await canvas.SetHiddenAsync(_hiddenClasses);
    }

    private async Task OnHoveredAsync(int fromMap, int shared)
    {
        if (_comparison is null || shared < 0 || shared >= _comparison.SharedCount) return;
        _hovered = shared;
        // The map under the pointer rings the point itself; the others ring the same image.
        for (var map = 0; map < _comparison.Runs.Count; map++)
            if (map != fromMap && _canvases[map] is { } canvas) await canvas.MarkAsync(shared);
    }

    /// <summary>
    /// A link's zoom and selection, shown as if drawn: the lasso goes to its map's view, which asks the index for its
    /// points; a picked image is selected at once. Values that do not fit this comparison are dropped.
    /// </summary>
    private void Restore(LargeComparison comparison, MapViewState view)
    {
        var fitted = ComparedView.Fit(view, comparison.Runs.Count, Extent, comparison.Alignment.Shared.DatasetIndices);
        (_zoom, _lasso, _lassoMap, _picked) = (fitted.Zoom, fitted.Lasso, fitted.LassoMap, fitted.Picked);
        if (_picked is { } shared) Select([shared]);
    }

    /// <summary>The larger side of aligned map <paramref name="map"/>'s bounding box: it sets how finely a lasso is rounded.</summary>
    private double Extent(int map) =>
        _comparison is { } comparison ? LassoOutline.Extent(comparison.Alignment.Maps[map].X, comparison.Alignment.Maps[map].Y) : 1;

    private async Task OnZoomedAsync(MapZoom? zoom)
    {
        // Every map gets the range as its Zoom; the one zoomed shows it already.
        _zoom = zoom is { } z ? MapViewQuery.Round(z) : null;
        await ReportAsync();
    }

    /// <summary>
    /// A lasso drawn in map <paramref name="map"/>: its reduced outline becomes the view's, and that map's view selects
    /// the points inside it (<see cref="OnLassoSelected"/>). A path that encloses nothing keeps the selection there is.
    /// </summary>
    private async Task OnLassoedAsync(int map, DrawnLasso drawn)
    {
        if (_comparison is null || LassoOutline.Reduce(drawn.Outline, Extent(map)) is not { } outline) return;
        (_lasso, _lassoMap, _picked) = (outline, map, null);
        await ReportAsync();
    }

    /// <summary>The images inside the lasso of map <paramref name="map"/>: the same images light up in every map.</summary>
    private void OnLassoSelected(int map, int[] shared)
    {
        // A late answer for a lasso since replaced (drawn in another map, cleared, or a picked image) is dropped.
        if (_lasso is null || map != _lassoMap) return;
        Select(shared);
    }

    /// <summary>An image picked from the moved-most lists: selected alone in every map, the lasso ends.</summary>
    private async Task PickAsync(int shared)
    {
        (_lasso, _lassoMap, _picked) = (null, 0, shared);
        Select([shared]);
        await ReportAsync();
    }

    private async Task ClearSelectionAsync()
    {
        (_lasso, _lassoMap, _picked) = (null, 0, null);
        Select([]);
        await ReportAsync();
    }

    private void Select(int[] shared)
    {
        if (_comparison is not { } comparison) return;
        _selection = shared.ToHashSet();
        _selected = _selection.Count == 0 ? null : comparison.Describe(_selection, PreviewSize);
        _selectionUnsent = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_selectionUnsent) await SendSelectionAsync();
    }

    /// <summary>
    /// The selection to every map as a bitset (unselected points grey); the lasso's map keeps its outline. Sent after
    /// a render, so that a map whose lasso ended has cleared it before the new selection arrives; a map not created
    /// yet gets it at the next render, one not drawn yet when it is.
    /// </summary>
    private async Task SendSelectionAsync()
    {
        if (_comparison is not { } comparison) return;
        _selectionUnsent = Enumerable.Range(0, comparison.Runs.Count).Any(map => _canvases[map] is null);
        var bits = _selection.Count == 0 ? null : comparison.SelectionBits(_selection);
        for (var map = 0; map < comparison.Runs.Count; map++)
            if (_canvases[map] is { } canvas) await canvas.SetSelectionAsync(bits, keepLasso: _lasso is not null && map == _lassoMap);
    }

    private async Task ReportAsync()
    {
        if (_comparison is not { } comparison) return;
        await ViewChanged.InvokeAsync(new ComparedView(_zoom, _lasso, _lassoMap, _picked).ToState(comparison.Alignment.Shared.DatasetIndices));
    }

    private string AlignmentText(int map)
    {
        if (_comparison is not { } comparison) return "";
        if (map == 0) return "reference: the other maps are turned onto this one";
        var fit = comparison.Alignment.Maps[map].Fit;
        var angle = Math.Atan2(fit.Transform.R12, fit.Transform.R11) * 180 / Math.PI;
        return $"turned {angle:F0}°{(fit.Transform.Reflects ? ", mirrored" : "")}, scaled ×{fit.Transform.Scale:G3}; misfit {fit.Disparity:F2} (0 = same shape)";
    }

    private string HoverText(int map, int shared)
    {
        var moved = _comparison!.Alignment.Maps[map].DisplacementToFirst[shared];
        return _neighbourhoods is { } found
            ? $"neighbours kept {found.Maps[map].JaccardToFirst[shared]:F2}, moved {moved:F2}"
            : $"moved {moved:F2}";
    }

    private static Color CohesionColour(double? cohesion) => cohesion switch
    {
        >= 0.7 => Color.Success,
        >= 0.4 => Color.Warning,
        null => Color.Default,
        _ => Color.Error,
    };

    private static string Points(double? delta) => delta is { } d ? $"{d * 100:+0.0;−0.0;0.0} pts" : "–";

    private static string DeltaStyle(double? delta) => delta switch
    {
        > 0.005 => "color: #2e7d32",
        < -0.005 => "color: #c62828",
        _ => "",
    };

    public void Dispose()
    {
        _gone.Cancel();
        _gone.Dispose();
    }
}
