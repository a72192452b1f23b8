using Medvis.Web.Auth;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Medvis.Web.Components.Pages;

/// <summary>All runs with status and progress, updated live; queued and running ones can be cancelled (after a confirmation), cancelled ones resumed, ended ones deleted.</summary>
public partial class Runs : IDisposable
{
    [Inject] private RunResults Results { get; set; } = default!;
    [Inject] private TrainingNotifier Notifier { get; set; } = default!;
    [Inject] private RunPlanner Planner { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private CurrentCaller CurrentCaller { get; set; } = default!;

    private Caller _caller = Caller.Anonymous;

    private IReadOnlyList<RunRecord> _runs = [];
    private IReadOnlyDictionary<int, int> _queue => Core.Lab.QueuePositions.Of(_runs);
    private readonly Dictionary<int, EpochPoint> _latest = [];
    private IDisposable? _subscription;

    protected override async Task OnInitializedAsync()
    {
        _caller = await CurrentCaller.GetAsync();
        _subscription = Notifier.Subscribe(null, OnUpdateAsync);
        _runs = Results.Runs();
    }

    private Task OnUpdateAsync(RunUpdate update) => update switch
    {
        RunStatusUpdate => InvokeAsync(() => { _runs = Results.Runs(); StateHasChanged(); }),
        RunEpochUpdate e => InvokeAsync(() => { _latest[e.RunId] = e.Point; StateHasChanged(); }),
        _ => Task.CompletedTask,
    };

    private string ProgressOf(RunRecord run)
    {
        var latest = _latest.TryGetValue(run.Id, out var live) ? live : run.History.LastOrDefault();
        return latest is null ? "–" : $"epoch {latest.GlobalEpoch} / {latest.TotalEpochs}";
    }

    private async Task CancelAsync(int runId)
    {
        if (await Shared.RunConfirmations.ConfirmCancelAsync(Dialogs, runId) != true) return;
        try
        {
            Planner.Cancel(await CurrentCaller.GetAsync(), runId);
        }
        catch (AccessDeniedException e)
        {
            Snackbar.Add(e.Message, Severity.Warning);
        }
        _runs = Results.Runs();
    }

    private async Task ResumeAsync(int runId)
    {
        try
        {
            if (Planner.Resume(await CurrentCaller.GetAsync(), runId) is { } problem) Snackbar.Add(problem, Severity.Warning);
            else Snackbar.Add($"Run {runId} queued again; it continues from its last checkpoint.", Severity.Info);
        }
        catch (AccessDeniedException e)
        {
            Snackbar.Add(e.Message, Severity.Warning);
        }
        _runs = Results.Runs();
    }

    private async Task DeleteAsync(RunRecord run)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete run",
            $"Delete run {run.Id} \"{run.Name}\" with its map, metrics, model and tags? This cannot be undone.",
            yesText: "Delete", cancelText: "Keep");
        if (confirmed != true) return;
        try
        {
            if (Planner.Delete(await CurrentCaller.GetAsync(), run.Id) is { } problem) Snackbar.Add(problem, Severity.Warning);
            else Snackbar.Add($"Run {run.Id} deleted.", Severity.Info);
        }
        catch (AccessDeniedException e)
        {
            Snackbar.Add(e.Message, Severity.Warning);
        }
        _runs = Results.Runs();
    }

    public void Dispose() => _subscription?.Dispose();
}
