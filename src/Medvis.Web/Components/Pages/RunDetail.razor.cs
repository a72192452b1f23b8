using Medvis.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using Microsoft.Extensions.Options;

namespace Medvis.Web.Components.Pages;

/// <summary>
/// One run: live training view while it is queued or training (fed by the notifier; a reload starts again from
/// the stored history), and map, grid, metrics and out-of-sample tabs once it is done.
/// </summary>
public partial class RunDetail : IDisposable
{
    [Inject] private RunResults Results { get; set; } = default!;
    [Inject] private TrainingNotifier Notifier { get; set; } = default!;
    [Inject] private RunPlanner Planner { get; set; } = default!;
    [Inject] private DatasetService Datasets { get; set; } = default!;
    [Inject] private IOptions<MedvisOptions> Options { get; set; } = default!;
    [Inject] private CurrentCaller CurrentCaller { get; set; } = default!;
    [Inject] private MudBlazor.IDialogService Dialogs { get; set; } = default!;

    private Caller _caller = Caller.Anonymous;

    [Parameter] public int RunId { get; set; }

    private readonly RunLiveState _live = new();
    private RunRecord? _run;
    private RunResult? _result;
    private RunMetrics? _metrics;
    private RunCard? _card;
    private IReadOnlyList<string> _classNames = [];
    private IDisposable? _subscription;
    private int _gridThreshold;
    private int _activeTab;
    private string? _resumeProblem;
    private MudTabs? _tabs;
    private bool _tabFromUrlShown;
    private int? _loadedRunId;

    [Inject] private IJSRuntime Js { get; set; } = default!;

    /// <summary>The tab to open ("map", "grid", "metrics", …), kept in the URL so a link opens the same view.</summary>
    [SupplyParameterFromQuery(Name = "tab")] public string? Tab { get; set; }

    /// <summary>The map's axis ranges in the URL (see <see cref="MapViewQuery"/>).</summary>
    [SupplyParameterFromQuery(Name = MapViewQuery.ZoomKey)] public string? Zoom { get; set; }

    /// <summary>The map's lasso outline in the URL.</summary>
    [SupplyParameterFromQuery(Name = MapViewQuery.LassoKey)] public string? Lasso { get; set; }

    /// <summary>The map's clicked image in the URL.</summary>
    [SupplyParameterFromQuery(Name = MapViewQuery.PointKey)] public string? Point { get; set; }

    /// <summary>The map's zoom, lasso and clicked image: read from the URL once, then as the person changes them (kept across tabs).</summary>
    private MapViewState _mapView = MapViewState.Empty;

    protected override async Task OnParametersSetAsync()
    {
        // A changed query (the tab in the URL) sets parameters again: only another run reloads.
        if (RunId == _loadedRunId) return;
        _loadedRunId = RunId;
        _subscription?.Dispose();
        _mapView = MapViewQuery.Parse(Zoom, Lasso, null, Point);
        _caller = await CurrentCaller.GetAsync();
        _run = Results.Run(RunId);
        if (_run is null || !AccessRules.CanRead(_caller, RunId)) return;
        _classNames = Datasets.Get(_run.DatasetId)?.ClassNames ?? [];
        // Subscribe before reading the history: an update in between is applied twice, never lost.
        _subscription = Notifier.Subscribe(RunId, OnUpdateAsync);
        if (Notifier.History(RunId) is { } history) _live.Load(history);
        LoadResultIfDone();
    }

    private Task OnUpdateAsync(RunUpdate update) => InvokeAsync(() =>
    {
        if (!_live.Apply(update)) return;
        if (update is RunStatusUpdate)
        {
            _run = Results.Run(RunId) ?? _run;
            LoadResultIfDone();
        }
        StateHasChanged();
    });

    private void LoadResultIfDone()
    {
        if (_live.Status != RunStatus.Done || _result is not null) return;
        _result = Results.Result(RunId);
        if (_result is not null) _gridThreshold = ThumbnailGrid.DefaultThreshold(_result.X.Length, Options.Value.GridCellThreshold);
        _metrics = Results.Metrics(RunId);
        _card = Results.Card(RunId);
    }

    private async Task Resume()
    {
        try
        {
            _resumeProblem = Planner.Resume(await CurrentCaller.GetAsync(), RunId);
        }
        catch (AccessDeniedException e)
        {
            _resumeProblem = e.Message;
        }
    }

    private async Task Cancel()
    {
        if (await Shared.RunConfirmations.ConfirmCancelAsync(Dialogs, RunId) != true) return;
        try
        {
            Planner.Cancel(await CurrentCaller.GetAsync(), RunId);
        }
        catch (AccessDeniedException)
        {
            // The button is hidden for callers who may not cancel; a forced click changes nothing.
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // The tabs exist once the run is done and rendered; the URL's tab is opened once, then the user's choice counts.
        if (_tabFromUrlShown || _tabs is null) return;
        _tabFromUrlShown = true;
        if (!string.IsNullOrEmpty(Tab) && _tabs.Panels.Any(p => Equals(p.ID, Tab))) await _tabs.ActivatePanelAsync(Tab);
    }

    private async Task OnTabChanged(int index)
    {
        _activeTab = index;
        if (_tabs is null || index < 0 || index >= _tabs.Panels.Count || _tabs.Panels[index].ID is not string id) return;
        // The address changes without a navigation: a navigation would render the page again mid-action (an
        // out-of-sample upload started right after switching was lost that way).
        await Js.InvokeVoidAsync("medvis.replaceQuery", "tab", id == "map" ? null : id);
    }

    private async Task OnMapViewChangedAsync(MapViewState view)
    {
        _mapView = view;
        await Js.InvokeVoidAsync("medvis.replaceQueryValues", MapViewQuery.Format(view));
    }

    public void Dispose() => _subscription?.Dispose();
}
