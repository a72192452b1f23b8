using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace Medvis.Web.Components.Shared;

/// <summary>
/// Live numbers (epoch, epoch-mean loss, snapshot kNN, lr, images/s, training time, ETA), the loss, kNN and lr curves per
/// stage, and the latest 2-D snapshot.
/// </summary>
public partial class TrainingCharts
{
    [Inject] private TimeProvider Clock { get; set; } = default!;

    [Parameter, EditorRequired] public RunLiveState Live { get; set; } = default!;
    [Parameter] public IReadOnlyList<string> ClassNames { get; set; } = [];
    /// <summary>The run as stored, for its training time (null: not shown).</summary>
    [Parameter] public RunRecord? Run { get; set; }

    private static readonly Func<EpochPoint, double> LearningRate = p => p.LearningRate;
    private static readonly Func<EpochPoint, double> KnnValue = p => p.KnnAccuracy ?? 0;
    private static readonly Func<EpochPoint, bool> HasKnnValue = p => p.KnnAccuracy is not null;

    private EpochPoint? Latest => Live.Latest;

    private EpochPoint? LatestKnn => Live.Epochs.LastOrDefault(HasKnnValue);

    private bool HasKnn => LatestKnn is not null;

    private string LossLabel => Latest is { } p ? $"Loss (epoch {p.GlobalEpoch} mean)" : "Loss (epoch mean)";

    /// <summary>Finished attempts plus, while running, the current one so far (never 00:00:00 while a run trains).</summary>
    private string TrainingTime
    {
        get
        {
            if (Run is null) return "–";
            var time = Run.TrainingTimeAt(Clock.GetUtcNow().UtcDateTime);
            return Live.Status == RunStatus.Queued && time == TimeSpan.Zero ? "–" : time.ToString();
        }
    }

    private string Eta => Live.Status switch
    {
        RunStatus.Done => "done",
        RunStatus.Running when Latest?.EtaSeconds is { } s => (Latest.EtaRough ? "~" : "") + TimeSpan.FromSeconds(Math.Round(s)),
        _ => "–",
    };

    private string? EtaDetail => Live.Status != RunStatus.Running || Latest is not { EtaSeconds: not null } p ? null
        : p.EtaRough ? "rough: from the first epoch"
        : p.SpeedUp is { } speedUp && speedUp > 1.05
            ? string.Format(CultureInfo.InvariantCulture, "last epoch {0:F1} s, {1:F1}× faster than the first", p.EpochSeconds, speedUp)
            : p.EpochSeconds > 0 ? string.Format(CultureInfo.InvariantCulture, "last epoch {0:F1} s", p.EpochSeconds) : null;

    private const string EtaHow = "From this run's own recent epochs (the median of each stage's last 5, its first left out), "
        + "times the epochs left in each stage; stages not yet run are scaled by their cost (stage 2 trains only the 2-D layer).";
}
