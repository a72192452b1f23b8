using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using PlotLayout = Plotly.Blazor.Layout;

namespace Medvis.Web.Components.Pages;

/// <summary>Two to four finished runs side by side: maps, metrics, per-class bars, configs and training time.</summary>
public partial class Compare
{
    private const int MinRuns = 2;
    private const int MaxRuns = 4;

    
    [Inject] private RunResults Results { get; set; } = default!;
    [Inject] private Auth.CurrentCaller CurrentCaller { get; set; } = default!;

    private Auth.Caller _caller = Auth.Caller.Anonymous;

    /// <summary>Preselected runs, e.g. /compare?runs=3,4,5.</summary>
    [SupplyParameterFromQuery(Name = "runs")] public string? RunIds { get; set; }

    private sealed record Column(RunRecord Run, RunResult Result, RunMetrics? Metrics);

    private readonly Config _config = new() { Responsive = true, DisplayLogo = false };
    private IReadOnlyList<RunRecord> _finished = [];
    private IReadOnlyCollection<int> _chosen = [];
    private List<Column> _columns = [];
    private IList<ITrace> _bars = new List<ITrace>();
    private PlotLayout _barsLayout = new();
    private string? _message;
    private int _revision;

    protected override async Task OnInitializedAsync()
    {
        _caller = await CurrentCaller.GetAsync();
        // A share-link visitor sees only the runs of the link.
        var caller = _caller;
        _finished = Results.Runs().Where(r => r.Status == RunStatus.Done && Auth.AccessRules.CanRead(caller, r.Id)).ToList();
        var preselected = (RunIds ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => int.TryParse(s, out var id) ? id : -1)
            .Where(id => _finished.Any(r => r.Id == id));
        OnChosenChanged(preselected);
    }

    private void OnChosenChanged(IEnumerable<int>? chosen)
    {
        _chosen = (chosen ?? []).Take(MaxRuns).ToList();
        _columns = _chosen
            .Select(id => (Run: _finished.First(r => r.Id == id), Result: Results.Result(id)))
            .Where(c => c.Result is not null)
            .Select(c => new Column(c.Run, c.Result!, Results.Metrics(c.Run.Id)))
            .ToList();
        _message = _columns.Count < MinRuns ? $"Pick {MinRuns} to {MaxRuns} finished runs." : null;
        BuildBars();
    }

    // One group of bars per class, one bar per run: the per-class view reviewers compare augmentation variants by.
    private void BuildBars()
    {
        _revision++;
        _bars = _columns.Where(c => c.Metrics is not null)
            .Select(c => (ITrace)new Bar
            {
                Name = $"#{c.Run.Id} {c.Run.Name} ({c.Metrics!.KnnAccuracy:P1})",
                X = c.Metrics.ClassNames.Cast<object>().ToList(),
                Y = c.Metrics.KnnRecallPerClass.Select(v => v is { } d ? (object)Math.Round(d, 4) : null!).ToList(),
            })
            .ToList();
        _barsLayout = new PlotLayout
        {
            Title = new Title { Text = "kNN accuracy per class" },
            BarMode = BarModeEnum.Group,
            Margin = new Margin { L = 40, R = 10, T = 40, B = 80 },
            YAxis = [new YAxis { Range = [0, 1] }],
        };
    }
}
