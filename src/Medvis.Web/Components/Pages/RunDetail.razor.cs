using Medvis.Web.Auth;
using Microsoft.AspNetCore.Components;
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

    protected override async Task OnParametersSetAsync()
    {
        _subscription?.Dispose();
        _caller = await CurrentCaller.GetAsync();
        _gridThreshold = Options.Value.GridCellThreshold;
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

    public void Dispose() => _subscription?.Dispose();
}
