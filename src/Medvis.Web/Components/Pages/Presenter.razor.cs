using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Medvis.Web.Components.Pages;

/// <summary>What the presenter view shows in its main area.</summary>
public enum PresenterMode
{
    /// <summary>The finished map.</summary>
    Map,
    /// <summary>The training as it happens: epoch, kNN and the latest snapshot.</summary>
    Live,
    /// <summary>The stored snapshots as an animation.</summary>
    Replay,
}

/// <summary>
/// The presenter view of a run, for a projector: full screen, large type, the map (or the replay of its training) and
/// a legend with sample images per class. Read-only by design: it has no control that changes anything, which is why
/// share links of a run land here.
/// </summary>
public partial class Presenter : IDisposable
{
    /// <summary>Type size of the map's axes and hover labels: readable from the back of a room.</summary>
    private const int PlotFontSize = 20;

    /// <summary>Markers twice their usual size: a 5-pixel dot vanishes on a projector.</summary>
    private const double PresenterMarkerScale = 2;

    /// <summary>Sample images per class in the legend.</summary>
    public const int ExamplesPerClass = 4;

    [Inject] private RunResults Results { get; set; } = default!;
    [Inject] private DatasetService Datasets { get; set; } = default!;
    [Inject] private CurrentCaller CurrentCaller { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private TrainingNotifier Notifier { get; set; } = default!;
    [Inject] private Microsoft.Extensions.Options.IOptions<MedvisOptions> Options { get; set; } = default!;

    private static readonly Func<EpochPoint, double> KnnValue = p => p.KnnAccuracy ?? 0;
    private static readonly Func<EpochPoint, bool> HasKnnValue = p => p.KnnAccuracy is not null;

    [Parameter] public int RunId { get; set; }

    private Caller _caller = Caller.Anonymous;
    private RunRecord? _run;
    private RunResult? _result;
    private RunMetrics? _metrics;
    private IReadOnlyList<string> _classNames = [];
    private int[][] _examples = [];
    private int[] _counts = [];
    private bool _hasReplay;
    private PresenterMode _mode = PresenterMode.Map;
    private readonly RunLiveState _live = new();
    private IDisposable? _subscription;

    /// <summary>The views this run offers: its map once done, its training while it runs, the replay when it kept snapshots.</summary>
    private IReadOnlyList<PresenterMode> Modes
    {
        get
        {
            var modes = new List<PresenterMode>();
            if (_result is not null) modes.Add(PresenterMode.Map);
            if (_result is null && _live.Status is RunStatus.Queued or RunStatus.Running) modes.Add(PresenterMode.Live);
            if (_hasReplay) modes.Add(PresenterMode.Replay);
            return modes;
        }
    }

    private static string NameOf(PresenterMode mode) => mode switch
    {
        PresenterMode.Map => "Map",
        PresenterMode.Live => "Live training",
        _ => "Training replay",
    };

    private int TotalEpochs => _run is null ? 0 : _run.History.LastOrDefault()?.TotalEpochs ?? 0;

    private string Subtitle
    {
        get
        {
            if (_run is null) return "";
            var parts = new List<string> { _run.DatasetName };
            if (_result is not null) parts.Add($"{_result.Count:N0} images");
            if (_metrics is { } metrics) parts.Add($"kNN accuracy {metrics.KnnAccuracy:P1}");
            if (_result is null) parts.Add(_run.Status == RunStatus.Done ? "no map stored" : $"{_run.Status.ToString().ToLowerInvariant()}: no map yet");
            return string.Join(" · ", parts);
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        _subscription?.Dispose();
        _subscription = null;
        _caller = await CurrentCaller.GetAsync();
        _run = Results.Run(RunId);
        if (_run is null || !AccessRules.CanRead(_caller, RunId)) return;
        if (_run.Status is RunStatus.Queued or RunStatus.Running)
        {
            // Subscribe before reading the history: an update in between is applied twice, never lost.
            _subscription = Notifier.Subscribe(RunId, OnUpdateAsync);
            if (Notifier.History(RunId) is { } history) _live.Load(history);
        }
        else
        {
            _live.Load(new RunHistory(RunId, _run.Status, _run.Error, _run.History, _run.LatestSnapshot, null, []));
        }
        LoadRun();
        _mode = Modes.FirstOrDefault(PresenterMode.Replay);
    }

    /// <summary>The map, metrics, legend samples and replay of the run as stored now.</summary>
    private void LoadRun()
    {
        _result = Results.Result(RunId);
        _metrics = _result is null ? null : Results.Metrics(RunId);
        _classNames = _result?.ClassNames ?? Datasets.Get(_run!.DatasetId)?.ClassNames ?? [];
        _hasReplay = Results.HasSnapshots(RunId);
        _counts = new int[_classNames.Count];
        _examples = [];
        if (_result is null) return;
        _examples = ClassExamples.Pick(_result.Labels, _classNames.Count, ExamplesPerClass);
        foreach (var label in _result.Labels)
            if (label >= 0 && label < _counts.Length) _counts[label]++;
    }

    private Task OnUpdateAsync(RunUpdate update) => InvokeAsync(() =>
    {
        if (!_live.Apply(update)) return;
        if (update is RunStatusUpdate { Status: RunStatus.Done })
        {
            // The map is in: show it, as the run page does.
            _run = Results.Run(RunId) ?? _run;
            LoadRun();
            _mode = Modes.FirstOrDefault(PresenterMode.Replay);
        }
        StateHasChanged();
    });

    public void Dispose() => _subscription?.Dispose();

    private async Task FullScreenAsync()
    {
        try
        {
            await JS.InvokeVoidAsync("medvis.fullScreen");
        }
        catch (JSException)
        {
            // A browser that refuses full screen (an iframe without permission) keeps the page as it is.
        }
    }
}
