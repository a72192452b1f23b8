using Medvis.Web.Apis;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Medvis.Web.Components.Shared;

/// <summary>The finished map: hover shows the image, lasso selection shows a grid of images to export or tag, exports of the map.</summary>
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
    private MapMetadataChoice _choice = new(null, null);
    private MapColouring _colouring = new([], [], null, 0, 1, null, null, "");
    private IReadOnlyList<MarkedPoints> _marked = [];
    private int? _clicked;
    private int _drawn;

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
        Recolour();
    }

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

    private void OnClicked(int point)
    {
        if (point >= 0 && point < Result.Count) _clicked = point;
    }

    private void OnHovered(int point)
    {
        if (point >= 0 && point < Result.Count) _hovered = point;
    }

    private void OnSelected(int[] points)
    {
        _selected = points;
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
        await Js.InvokeVoidAsync("medvis.downloadText", $"run-{Result.RunId}-selection.csv", MedvisApi.SelectionCsv(Result, _selected), "text/csv");

    private async Task DownloadPlotAsync(string format) =>
        await Js.InvokeAsync<bool>("medvis.downloadPlot", PlotId, format, $"run-{Result.RunId}-map");

    private string ImageUrl(int point, int scale) => $"api/runs/{Result.RunId}/images/{point}.png?scale={scale}";
}
