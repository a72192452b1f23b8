using Medvis.Core.Maps;
using Medvis.Web.Apis;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Medvis.Web.Components.Shared;

/// <summary>
/// The finished map: hover shows the image, lasso selection shows a grid of images to export or tag, a click shows
/// the point's neighbours (the lasso stays), exports of the map. Zoom, lasso and clicked point come in as
/// <see cref="View"/> and go out through <see cref="ViewChanged"/>, so the page can keep them in its address.
/// </summary>
public partial class RunMapView
{
    private const int MaxShownSelection = 200;

    [Inject] private RunResults Results { get; set; } = default!;
    [Inject] private IJSRuntime Js { get; set; } = default!;
    [Inject] private Microsoft.Extensions.Options.IOptions<MedvisOptions> Options { get; set; } = default!;
    [Inject] private DatasetMetadataService Metadata { get; set; } = default!;

    [Parameter, EditorRequired] public RunResult Result { get; set; } = default!;

    /// <summary>Who looks at the map: tagging shows only for those who may tag.</summary>
    [Parameter] public Auth.Caller Caller { get; set; } = Auth.Caller.Anonymous;

    /// <summary>The zoom, lasso and clicked image to show when the map opens (from the address).</summary>
    [Parameter] public MapViewState View { get; set; } = MapViewState.Empty;

    /// <summary>The person zoomed, drew or cleared a lasso, or clicked a point.</summary>
    [Parameter] public EventCallback<MapViewState> ViewChanged { get; set; }

    private int? _hovered;
    private int[] _selected = [];
    private SampledSelection _preview = new([], "");
    private string? _tagLabel;
    private string? _tagError;
    private IReadOnlyList<AnnotationRecord> _tags = [];

    private bool _hasImages;

    /// <summary>Drawn by the WebGL canvas (binary columns, server-side hover and lasso) rather than Plotly.</summary>
    private bool IsLarge => Result.Count > Options.Value.LargeMapPoints;

    private Core.Data.Metadata.DatasetMetadata? _metadata;
    private IReadOnlyList<string>? _fileNames; // per point, its file (folder datasets)
    private MapMetadataChoice _choice = new(null, null);
    private MapColouring _colouring = new([], [], null, 0, 1, null, null, "");
    private IReadOnlyList<MarkedPoints> _marked = [];
    private int? _clicked;
    private int _drawn;
    private MapZoom? _zoom;
    private PlanePoint[]? _lasso;

    private string PlotId => $"run-map-{Result.RunId}";

    /// <summary>Changes whenever what the map draws changes (colouring, filter, rings).</summary>
    private string Revision => $"{Result.RunId}/{_drawn}";

    protected override void OnParametersSet()
    {
        _tags = Results.Tags(Result.RunId);
        // A parent's re-render must not redraw the map (it would lose the zoom): only a new map recolours.
        if (ReferenceEquals(_colouredResult, Result)) return;
        _colouredResult = Result;
        // A map whose run record is gone keeps its image links (they answer 404), as before imports existed.
        _hasImages = Results.Run(Result.RunId)?.HasImages() != false;
        // A large map's images are read once, in the background, so that the first hover shows its thumbnail at once.
        if (IsLarge && _hasImages) _ = Task.Run(() => Results.WarmImages(Result.RunId));
        _metadata = Results.Run(Result.RunId) is { } run ? Metadata.ForRun(run) : null;
        _fileNames = _hasImages ? Results.PointFileNames(Result.RunId) : null;
        Recolour();
        Restore(View);
    }

    /// <summary>
    /// Shows what <paramref name="view"/> holds as if the person had done it: the zoom, the lasso's selection (grid,
    /// greyed context, outline) and the clicked point's neighbours. Values that do not fit this map are dropped.
    /// </summary>
    private void Restore(MapViewState view)
    {
        _zoom = view.Zoom;
        if (view.Lasso is { } lasso && LassoOutline.Reduce(lasso, Extent) is { } outline) SelectInside(outline, null);
        if (view.Image is { } image && Array.IndexOf(Result.DatasetIndices, image) is var point and >= 0) _clicked = point;
    }

    /// <summary>The larger side of the map's bounding box: it sets how finely a lasso's corners are rounded.</summary>
    private double Extent => LassoOutline.Extent(Result.X, Result.Y);

    private async Task OnLassoedAsync(DrawnLasso drawn)
    {
        // A path that encloses nothing (a click in lasso mode, a line) keeps the selection there is.
        if (LassoOutline.Reduce(drawn.Outline, Extent) is not { } outline) return;
        SelectInside(outline, drawn.Skip);
        await ReportAsync();
    }

    /// <summary>
    /// The lasso's points, always taken from its reduced outline, so a link re-selects exactly these. A large map's
    /// canvas asks the server's index itself and reports them through <see cref="OnSelected"/>.
    /// </summary>
    private void SelectInside(PlanePoint[] outline, Func<int, bool>? skip)
    {
        _lasso = outline;
        _drawn++;
        if (!IsLarge) OnSelected(LassoOutline.Inside(Result.X, Result.Y, outline, skip));
    }

    private async Task ClearSelectionAsync()
    {
        _lasso = null;
        _drawn++;
        OnSelected([]);
        await ReportAsync();
    }

    private async Task OnZoomedAsync(MapZoom? zoom)
    {
        _zoom = zoom is { } z ? MapViewQuery.Round(z) : null;
        await ReportAsync();
    }

    private Task ReportAsync() =>
        ViewChanged.InvokeAsync(new MapViewState(_zoom, _lasso, 0, _clicked is { } p ? Result.DatasetIndices[p] : null));

    /// <summary>Points drawn in colour: the lasso's when there is one (the rest grey for context), else those the metadata filter keeps.</summary>
    private IReadOnlySet<int>? Context => _lasso is not null ? _selectedSet : _colouring.Kept;

    private string ContextName => _lasso is not null ? "not selected" : "filtered out";

    private HashSet<int> _selectedSet = [];

    private RunResult? _colouredResult;

    private void OnMetadataChoiceChanged(MapMetadataChoice choice)
    {
        _choice = choice;
        Recolour();
    }

    private void Recolour()
    {
        _colouring = MetadataColouring.For(Result, _metadata, _choice.ColourBy, _choice.Filter);
        _drawn++;
    }

    private void OnMarkedChanged(IReadOnlyList<MarkedPoints> marked)
    {
        _marked = marked;
        _drawn++;
    }

    private async Task OnClickedAsync(int point)
    {
        if (point < 0 || point >= Result.Count) return;
        _clicked = point;
        await ReportAsync();
    }

    /// <summary>A neighbour's thumbnail was clicked (another point) or the panel was closed (null).</summary>
    private async Task OnPointChangedAsync(int? point)
    {
        _clicked = point is { } p && p >= 0 && p < Result.Count ? p : null;
        await ReportAsync();
    }

    private void OnHovered(int point)
    {
        if (point >= 0 && point < Result.Count) _hovered = point;
    }

    private void OnSelected(int[] points)
    {
        _selected = points;
        _selectedSet = points.ToHashSet();
        _drawn++;
        _preview = SelectionSample.Draw(points, p => Result.Labels[p], MaxShownSelection);
        _tagError = null;
    }

    private void TagSelection()
    {
        try
        {
            Results.Tag(Caller, Result.RunId, _tagLabel ?? "", _selected);
            _tags = Results.Tags(Result.RunId);
            _tagLabel = null;
            _tagError = null;
        }
        catch (Exception e) when (e is ArgumentException or Auth.AccessDeniedException)
        {
            _tagError = e.Message;
        }
    }

    private async Task ExportSelectionAsync() =>
        await Js.InvokeVoidAsync("medvis.downloadText", $"run-{Result.RunId}-selection.csv", MedvisApi.SelectionCsv(Result, _selected, _fileNames), "text/csv");

    private async Task DownloadPlotAsync(string format) =>
        await Js.InvokeAsync<bool>("medvis.downloadPlot", PlotId, format, $"run-{Result.RunId}-map");

    private string ImageUrl(int point, int scale) => $"api/runs/{Result.RunId}/images/{point}.png?scale={scale}";
}
