using Microsoft.AspNetCore.Components;

namespace Medvis.Web.Components.Shared;

/// <summary>
/// The replay of a run's training: its stored 2-D snapshots as an animation with play/pause and a scrubber, the
/// epoch and stage of the frame shown. Reads only.
/// </summary>
public partial class SnapshotReplay : IAsyncDisposable
{
    /// <summary>Time a frame stays on screen while playing: 60 snapshots play in about 25 s.</summary>
    public static readonly TimeSpan FrameInterval = TimeSpan.FromMilliseconds(400);

    [Inject] private RunResults Results { get; set; } = default!;

    [Parameter, EditorRequired] public int RunId { get; set; }
    [Parameter] public IReadOnlyList<string> ClassNames { get; set; } = [];
    /// <summary>Large controls and caption (presenter view).</summary>
    [Parameter] public bool Large { get; set; }
    [Parameter] public bool ShowLegend { get; set; } = true;
    [Parameter] public bool Square { get; set; }
    [Parameter] public int Height { get; set; } = 600;
    /// <summary>Markers this many times their usual size.</summary>
    [Parameter] public double MarkerScale { get; set; } = 1;
    /// <summary>Type size of the map's axes (null: plotly's default).</summary>
    [Parameter] public int? FontSize { get; set; }
    /// <summary>Total epochs of the run, for the caption (0: not shown).</summary>
    [Parameter] public int TotalEpochs { get; set; }

    private IReadOnlyList<SnapshotPoint> _frames = [];
    private int _frame;
    private bool _playing;
    private CancellationTokenSource? _playback;
    private int _loadedRunId = -1;
    private MapZoom? _bounds;

    private SnapshotPoint Current => _frames[_frame];

    private string PlotId => $"replay-map-{RunId}";

    private string Caption => $"Epoch {Current.GlobalEpoch}{(TotalEpochs > 0 ? $" of {TotalEpochs}" : "")} · stage {Current.Stage}"
        + (Current.Stage == 2 ? " (2-D layer only)" : Current.Stage == 3 ? " (fine-tuning)" : "");

    protected override void OnParametersSet()
    {
        if (_loadedRunId == RunId) return;
        _loadedRunId = RunId;
        _frames = Results.Snapshots(RunId);
        _bounds = SteadyBounds(_frames);
        // The finished map first: the last frame; play starts from the beginning.
        _frame = Math.Max(0, _frames.Count - 1);
    }

    /// <summary>
    /// The axes of every frame: the box around all frames' points, with a 4% margin. Fixed rather than eased,
    /// because then what moves on screen moved in the map: a cluster drifting, the map spreading out in stage 2 (as
    /// t-SimCNE's output grows), clusters tightening in stage 3. Axes that follow each frame, even smoothly, rescale
    /// the picture under the points and make still points look as if they moved. Class colours are fixed by class.
    /// </summary>
    private static MapZoom? SteadyBounds(IReadOnlyList<SnapshotPoint> frames)
    {
        var xs = frames.SelectMany(f => f.X).Where(float.IsFinite).ToArray();
        var ys = frames.SelectMany(f => f.Y).Where(float.IsFinite).ToArray();
        if (xs.Length == 0 || ys.Length == 0) return null;
        double minX = xs.Min(), maxX = xs.Max(), minY = ys.Min(), maxY = ys.Max();
        var (padX, padY) = (Math.Max((maxX - minX) * 0.04, 1e-6), Math.Max((maxY - minY) * 0.04, 1e-6));
        return new MapZoom(minX - padX, maxX + padX, minY - padY, maxY + padY);
    }

    private async Task TogglePlayAsync()
    {
        if (_playing)
        {
            await StopAsync();
            return;
        }
        if (_frame >= _frames.Count - 1) _frame = 0;
        _playing = true;
        _playback = new CancellationTokenSource();
        _ = PlayAsync(_playback.Token);
    }

    private async Task PlayAsync(CancellationToken cancel)
    {
        using var timer = new PeriodicTimer(FrameInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancel))
            {
                var more = false;
                await InvokeAsync(() =>
                {
                    if (cancel.IsCancellationRequested) return;
                    _frame = Math.Min(_frame + 1, _frames.Count - 1);
                    more = _frame < _frames.Count - 1;
                    if (!more) _playing = false;
                    StateHasChanged();
                });
                if (!more) return;
            }
        }
        catch (OperationCanceledException)
        {
            // Paused or the page closed.
        }
    }

    private async Task ScrubAsync(int frame)
    {
        await StopAsync();
        _frame = Math.Clamp(frame, 0, Math.Max(0, _frames.Count - 1));
    }

    private async Task StopAsync()
    {
        _playing = false;
        if (_playback is { } playback)
        {
            _playback = null;
            await playback.CancelAsync();
            playback.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        GC.SuppressFinalize(this);
    }
}
