using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Medvis.Web.Components.Pages;

/// <summary>What the presenter view shows in its main area.</summary>
public enum PresenterMode { Map, Replay }

/// <summary>
/// The presenter view of a run, for a projector: full screen, large type, the map (or the replay of its training) and
/// a legend with sample images per class. Read-only by design: it has no control that changes anything, which is why
/// share links of a run land here.
/// </summary>
public partial class Presenter
{
    /// <summary>Type size of the map's axes and hover labels: readable from the back of a room.</summary>
    private const int PlotFontSize = 20;

    /// <summary>Sample images per class in the legend.</summary>
    public const int ExamplesPerClass = 4;

    [Inject] private RunResults Results { get; set; } = default!;
    [Inject] private DatasetService Datasets { get; set; } = default!;
    [Inject] private CurrentCaller CurrentCaller { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

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
        _caller = await CurrentCaller.GetAsync();
        _run = Results.Run(RunId);
        if (_run is null || !AccessRules.CanRead(_caller, RunId)) return;
        _result = Results.Result(RunId);
        _metrics = _result is null ? null : Results.Metrics(RunId);
        _classNames = _result?.ClassNames ?? Datasets.Get(_run.DatasetId)?.ClassNames ?? [];
        _hasReplay = Results.HasSnapshots(RunId);
        _mode = _result is null ? PresenterMode.Replay : PresenterMode.Map;
        if (_result is not null)
        {
            _examples = ClassExamples.Pick(_result.Labels, _classNames.Count, ExamplesPerClass);
            _counts = new int[_classNames.Count];
            foreach (var label in _result.Labels)
                if (label >= 0 && label < _counts.Length) _counts[label]++;
        }
    }

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
