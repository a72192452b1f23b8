using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Medvis.Core.Maps;
using Medvis.Web.Components.Shared;
using MudBlazor;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using PlotLayout = Plotly.Blazor.Layout;

namespace Medvis.Web.Components.Pages;

/// <summary>
/// Two to four finished runs of the same images side by side, aligned to the first: linked hover and lasso,
/// neighbourhood change as a colour, the images that moved most, and metrics with per-class deltas.
/// </summary>
public partial class Compare
{
    private const int PreviewSize = 200;
    private const int MovedShown = 12;

    [Inject] private RunResults Results { get; set; } = default!;
    [Inject] private RunComparisons Comparisons { get; set; } = default!;
    [Inject] private Auth.CurrentCaller CurrentCaller { get; set; } = default!;
    [Inject] private IJSRuntime Js { get; set; } = default!;
    [Inject] private Microsoft.Extensions.Options.IOptions<MedvisOptions> Options { get; set; } = default!;

    /// <summary>Preselected runs, e.g. /compare?runs=3,4,5.</summary>
    [SupplyParameterFromQuery(Name = "runs")] public string? RunIds { get; set; }

    /// <summary>Axis ranges of the maps (aligned, so one for all) in the URL (see <see cref="MapViewQuery"/>).</summary>
    [SupplyParameterFromQuery(Name = MapViewQuery.ZoomKey)] public string? Zoom { get; set; }

    /// <summary>The lasso's outline in the URL.</summary>
    [SupplyParameterFromQuery(Name = MapViewQuery.LassoKey)] public string? Lasso { get; set; }

    /// <summary>The position of the map the lasso was drawn on, in the URL.</summary>
    [SupplyParameterFromQuery(Name = MapViewQuery.LassoMapKey)] public string? LassoIn { get; set; }

    /// <summary>The picked image (from the moved-most lists) in the URL.</summary>
    [SupplyParameterFromQuery(Name = MapViewQuery.PointKey)] public string? Point { get; set; }

    // Zoom and selection, one state for the page: the maps are aligned, so one range and one lasso mean the same in each.
    private MapZoom? _zoom;
    private PlanePoint[]? _lasso;
    private int _lassoMap;
    private int? _picked;
    // A link's view for the large compare view, which keeps and writes its own state from then on.
    private MapViewState _largeView = MapViewState.Empty;

    /// <summary>What the points of the maps are coloured by.</summary>
    private enum ColourMode { Class, Neighbourhood }

    private readonly Config _config = new() { Responsive = true, DisplayLogo = false };
    private readonly HashSet<int> _hiddenClasses = [];
    private Auth.Caller _caller = Auth.Caller.Anonymous;
    private IReadOnlyList<RunRecord> _finished = [];
    private IReadOnlyCollection<int> _chosen = [];
    private RunComparison? _comparison;
    private string? _message;
    private ColourMode _colourBy = ColourMode.Class;
    private HashSet<int> _selection = [];
    private ComparedSelection? _selected;
    private int? _hovered;
    private int _mapVersion;
    private IList<ITrace> _bars = new List<ITrace>();
    private PlotLayout _barsLayout = new();
    private double[]? _meanJaccard;
    private bool _large;
    // Counts the choices of runs made and the comparisons shown. The parts of a comparison are keyed by the count that
    // showed it, never by the choice alone: the page renders while a new choice is being compared, and parts keyed by
    // the new choice would then be drawn with the old comparison (two maps in a grid of three columns sized for two)
    // and kept. Charts take their element ids from it too (see ElementId).
    private int _choices;
    private int _shown;

    private string SetKey => string.Join(',', _chosen);
    private object MapRevision => (_shown, _mapVersion);
    private IReadOnlySet<int>? SelectionOrNull => _selection.Count == 0 ? null : _selection;
    private int MapColumns => _comparison?.Runs.Count == 4 ? 2 : _comparison?.Runs.Count ?? 2;
    private int MapRows => ((_comparison?.Runs.Count ?? 2) + MapColumns - 1) / MapColumns;
    private string BarsStyle => $"height: {ClassBars.HeightPixels(_comparison?.ClassNames.Count ?? 0, _comparison?.Runs.Count ?? 1, showLegend: true)}px";

    protected override async Task OnInitializedAsync()
    {
        _caller = await CurrentCaller.GetAsync();
        // A share-link visitor sees only the runs of the link.
        var caller = _caller;
        _finished = Results.Runs().Where(r => r.Status == RunStatus.Done && Auth.AccessRules.CanRead(caller, r.Id)).ToList();
        var preselected = (RunIds ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => int.TryParse(s, out var id) ? id : -1)
            .Where(id => _finished.Any(r => r.Id == id));
        await ChooseAsync(preselected);
        var view = MapViewQuery.Parse(Zoom, Lasso, LassoIn, Point, _chosen.Count);
        if (_comparison is { } comparison) Restore(comparison, view);
        else if (_large) _largeView = view;
    }

    /// <summary>Runs picked in the list: a new comparison starts unzoomed, with nothing selected.</summary>
    private async Task OnChosenChangedAsync(IEnumerable<int>? chosen)
    {
        // The list reports its values again when it closes: the same runs keep the maps they have.
        if ((chosen ?? []).Distinct().Take(RunComparisons.MaxRuns).SequenceEqual(_chosen)) return;
        await ChooseAsync(chosen);
        await WriteViewAsync();
    }

    private async Task ChooseAsync(IEnumerable<int>? chosen)
    {
        _chosen = (chosen ?? []).Distinct().Take(RunComparisons.MaxRuns).ToList();
        var choice = ++_choices;
        // The chosen runs stay in the URL, so the address bar is a link to this comparison.
        if (SetKey != (RunIds ?? "") && RendererInfo.IsInteractive)
            await Js.InvokeVoidAsync("medvis.replaceQuery", "runs", SetKey);
        var runs = _chosen.ToList();
        var large = HasLargeMap(runs);
        var outcome = large ? new ComparisonOutcome(null, null) : await Comparisons.CompareAsync(_caller, runs);
        // A later pick, made while this one was compared, shows its own comparison.
        if (choice != _choices) return;
        _shown = choice;
        _large = large;
        _comparison = outcome.Comparison;
        _message = outcome.Problem;
        _meanJaccard = _comparison is { } c ? MeanJaccardOfOthers(c) : null;
        _hiddenClasses.Clear();
        _zoom = null;
        _largeView = MapViewState.Empty;
        ClearSelectionState();
        BuildBars();
    }

    /// <summary>A link's zoom and selection, shown as if drawn: values that do not fit this comparison are dropped.</summary>
    private void Restore(RunComparison comparison, MapViewState view)
    {
        var fitted = ComparedView.Fit(view, comparison.Runs.Count, Extent, comparison.DatasetIndices);
        _zoom = fitted.Zoom;
        if (fitted.Lasso is { } outline) SelectInside(fitted.LassoMap, outline, null);
        else if (fitted.Picked is { } shared) SelectOneState(shared);
    }

    // Called from the person's actions only, so always on an interactive page. Without a small comparison (another
    // choice of runs, or the large view, which writes its own) the previous comparison's view leaves the address.
    private Task WriteViewAsync() =>
        WriteAddressAsync(_comparison is { } comparison ? new ComparedView(_zoom, _lasso, _lassoMap, _picked).ToState(comparison.DatasetIndices) : MapViewState.Empty);

    private async Task WriteAddressAsync(MapViewState view) =>
        await Js.InvokeVoidAsync("medvis.replaceQueryValues", MapViewQuery.Format(view));

    /// <summary>The larger side of map <paramref name="run"/>'s bounding box: it sets how finely a lasso is rounded.</summary>
    private double Extent(int run) =>
        _comparison is { } comparison ? LassoOutline.Extent(comparison.Runs[run].Map.X, comparison.Runs[run].Map.Y) : 1;

    private async Task OnZoomedAsync(MapZoom? zoom)
    {
        _zoom = zoom is { } z ? MapViewQuery.Round(z) : null;
        await WriteViewAsync();
    }

    /// <summary>Whether any chosen map has more points than Plotly is given (the large view takes the comparison then).</summary>
    private bool HasLargeMap(IReadOnlyCollection<int> chosen) =>
        chosen.Count >= RunComparisons.MinRuns && chosen.Any(id => Results.Result(id)?.Count > Options.Value.LargeMapPoints);

    private void OnColourChanged(ColourMode mode)
    {
        _colourBy = mode;
        _mapVersion++;
    }

    private void ToggleClass(int label)
    {
        if (!_hiddenClasses.Remove(label)) _hiddenClasses.Add(label);
        _mapVersion++;
    }

    /// <summary>
    /// A lasso or box in map <paramref name="run"/>: the images inside its reduced outline there, classes hidden from
    /// the legend left out. A click or a redraw reports no outline and keeps the selection; the clear button ends it.
    /// </summary>
    private async Task OnLassoedAsync(int run, DrawnLasso drawn)
    {
        if (_comparison is null || LassoOutline.Reduce(drawn.Outline, Extent(run)) is not { } outline) return;
        SelectInside(run, outline, drawn.Skip);
        await WriteViewAsync();
    }

    private void SelectInside(int run, PlanePoint[] outline, Func<int, bool>? skip)
    {
        if (_comparison is not { } comparison) return;
        var map = comparison.Runs[run].Map;
        var inside = LassoOutline.Inside(map.X, map.Y, outline, i => _hiddenClasses.Contains(comparison.Labels[i]) || skip?.Invoke(i) == true);
        (_lasso, _lassoMap, _picked) = (outline, run, null);
        Select(inside);
    }

    private void Select(int[] shared)
    {
        _selection = shared.ToHashSet();
        _selected = _selection.Count == 0 ? null : _comparison?.Describe(_selection, PreviewSize);
        _mapVersion++;
    }

    private async Task SelectOneAsync(int shared)
    {
        SelectOneState(shared);
        await WriteViewAsync();
    }

    private void SelectOneState(int shared)
    {
        (_lasso, _lassoMap, _picked) = (null, 0, shared);
        Select([shared]);
    }

    private async Task ClearSelectionAsync()
    {
        ClearSelectionState();
        await WriteViewAsync();
    }

    private void ClearSelectionState()
    {
        (_lasso, _lassoMap, _picked) = (null, 0, null);
        Select([]);
    }

    private async Task OnHoveredAsync(int fromRun, int shared)
    {
        if (_comparison is not { } comparison || shared < 0 || shared >= comparison.SharedCount) return;
        _hovered = shared;
        // The map under the pointer shows its own hover label; the others get an arrow at the same image.
        var others = Enumerable.Range(0, comparison.Runs.Count).Where(r => r != fromRun).ToArray();
        await Js.InvokeVoidAsync("medvis.markPoints", others.Select(MapId).ToArray(),
            others.Select(r => comparison.Runs[r].Map.X[shared]).ToArray(), others.Select(r => comparison.Runs[r].Map.Y[shared]).ToArray());
    }

    private string MapId(int run) => ElementId($"compare-map-{run}");

    /// <summary>
    /// An element id unique to this choice of runs. Plotly finds its charts by id, and a chart removed for a new choice
    /// is purged after its replacement was drawn: with a shared id the purge would empty the new chart, or delete its
    /// layout while Plotly was still drawing into it.
    /// </summary>
    private string ElementId(string name) => $"{name}-{_shown}";

    /// <summary>Jaccard to the first map colours the later maps; the first map shows each image's mean over them.</summary>
    private double[]? ColourValues(int run) =>
        _colourBy != ColourMode.Neighbourhood || _comparison is null ? null
            : run == 0 ? _meanJaccard : _comparison.Runs[run].Map.JaccardToFirst;

    private static double[] MeanJaccardOfOthers(RunComparison comparison) =>
        Enumerable.Range(0, comparison.SharedCount)
            .Select(i => comparison.Runs.Skip(1).Average(r => r.Map.JaccardToFirst[i]))
            .ToArray();

    private string AlignmentText(int run)
    {
        if (_comparison is not { } comparison) return "";
        if (run == 0) return "reference: the other maps are turned onto this one";
        var fit = comparison.Runs[run].Map.Fit;
        var angle = Math.Atan2(fit.Transform.R12, fit.Transform.R11) * 180 / Math.PI;
        return $"turned {angle:F0}°{(fit.Transform.Reflects ? ", mirrored" : "")}, scaled ×{fit.Transform.Scale:G3}; misfit {fit.Disparity:F2} (0 = same shape)";
    }

    private static string CohesionText(double? cohesion) => cohesion is { } c ? $"{c * 100:F0}% together" : "n/a";

    private static Color CohesionColour(double? cohesion) => cohesion switch
    {
        >= 0.7 => Color.Success,
        >= 0.4 => Color.Warning,
        null => Color.Default,
        _ => Color.Error,
    };

    /// <summary>Linear-probe AUC of <paramref name="run"/> minus the first run's, when both have one (runs of every stage-1 objective do).</summary>
    private static double? ProbeDelta(ComparedRun first, ComparedRun run) =>
        run.Metrics?.LinearProbe?.MeanAuc - first.Metrics?.LinearProbe?.MeanAuc;

    private static string Points(double? delta) => delta is { } d ? $"{d * 100:+0.0;−0.0;0.0} pts" : "–";

    private static string Signed(double? value, string format) => value is { } v ? (v >= 0 ? "+" : "−") + Math.Abs(v).ToString(format) : "–";

    private static string DeltaStyle(double? delta) => delta switch
    {
        > 0.005 => "color: #2e7d32",
        < -0.005 => "color: #c62828",
        _ => "",
    };

    private IReadOnlyList<ClassComparisonRow> ClassRows() => _comparison?.ClassRows() ?? [];

    // One group of bars per class, one bar per run: classes down the side so every name shows.
    private void BuildBars()
    {
        if (_comparison is not { } comparison)
        {
            _bars = new List<ITrace>();
            return;
        }
        var rows = comparison.ClassRows();
        var names = rows.Select(r => r.Name).ToList();
        _bars = comparison.Runs.Select((r, i) => (ITrace)ClassBars.Horizontal(names, rows.Select(row => row.KnnRecall[i]).ToList(),
                $"#{r.Run.Id} {r.Run.Name}" + (r.Metrics is { } m ? $" ({m.KnnAccuracy:P1})" : ""), RunColour(i)))
            .ToList();
        _barsLayout = ClassBars.Layout("kNN accuracy per class", 0, 1, showLegend: true);
    }

    /// <summary>One colour per run, outside the class palette's first tones so run bars are not read as classes.</summary>
    private static string RunColour(int run) => run switch { 0 => "#37474f", 1 => "#1e88e5", 2 => "#fb8c00", _ => "#8e24aa" };
}
