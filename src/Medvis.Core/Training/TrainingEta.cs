namespace Medvis.Core.Training;

/// <summary>What <see cref="TrainingEta"/> expects: the time left and how it was reached.</summary>
/// <param name="Remaining">Time the run still needs for its remaining epochs.</param>
/// <param name="SecondsPerEpoch">The steady cost of one epoch of the current stage, as estimated.</param>
/// <param name="SpeedUp">How many times faster the steady epochs run than the first epoch of this process (null until measured).</param>
/// <param name="Rough">True while no steady epoch has been measured yet (only the slow first one): the estimate leans on a prior.</param>
public sealed record EtaEstimate(TimeSpan Remaining, double SecondsPerEpoch, double? SpeedUp, bool Rough);

/// <summary>
/// Estimates the time a run still needs from its own epochs: the steady cost of each stage (the median of the
/// stage's recent epochs, leaving out the stage's first, which pays for warm-up: allocator, oneDNN kernels, a new
/// optimiser), times the epochs left in each stage. Stages cost differently: stage 2 trains only the 2-D output
/// layer (forward passes through a frozen backbone), so until a stage has run its cost is derived from the
/// measured stage through <see cref="RelativeStageCost"/>. Fed by the trainer with each finished epoch.
/// </summary>
public sealed class TrainingEta
{
    /// <summary>Steady epochs per stage the median is taken over: recent enough to follow a change of load.</summary>
    public const int RecentEpochs = 5;

    /// <summary>
    /// How much faster a steady epoch is assumed to be than the first one while only the first has been measured.
    /// A browser walk on 2 cores saw ETAs after epoch 1 that were 1.5× (cpu-quick) and 2× (cpu-budget) too high;
    /// the smaller of the two keeps the early estimate on the safe side. It is replaced by the measurement from the
    /// second epoch on.
    /// </summary>
    public const double FirstEpochSpeedUpPrior = 1.5;

    private int[] _epochsPerStage;
    private int TotalEpochs => _epochsPerStage.Sum();
    private readonly List<double>[] _seconds = [[], [], []];
    private double? _firstSeconds;

    /// <summary>An estimator for a run with these epochs per stage (three stages).</summary>
    /// <exception cref="ArgumentException">Not three non-negative counts.</exception>
    public TrainingEta(IReadOnlyList<int> epochsPerStage) => _epochsPerStage = Checked(epochsPerStage);

    /// <summary>Takes new epoch counts (a budget run re-planned) and keeps the epochs measured so far.</summary>
    /// <exception cref="ArgumentException">Not three non-negative counts.</exception>
    public void Reschedule(IReadOnlyList<int> epochsPerStage) => _epochsPerStage = Checked(epochsPerStage);

    private static int[] Checked(IReadOnlyList<int> epochsPerStage)
    {
        ArgumentNullException.ThrowIfNull(epochsPerStage);
        if (epochsPerStage.Count != 3 || epochsPerStage.Any(e => e < 0))
            throw new ArgumentException("An ETA needs three non-negative epoch counts, one per stage.");
        return epochsPerStage.ToArray();
    }

    /// <summary>
    /// Cost of one epoch of each stage relative to stage 1, used only for stages not measured yet. Stage 2 runs the
    /// backbone forward only; stage 3 trains every layer as stage 1 does, yet measured faster: a 30-minute bf16 run of
    /// the small backbone on 11,964 blood cells took 12 s per stage-1 epoch, 2.8 s per stage-2 epoch and 7.5 s per
    /// stage-3 epoch (0.23 and 0.63); fp32 runs gave stage 3 at about 0.8 of stage 1. The values sit between the two.
    /// </summary>
    public static double RelativeStageCost(int stage) => stage switch
    {
        1 => 1.0,
        2 => 0.25,
        3 => 0.7,
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Stages are 1, 2 and 3."),
    };

    /// <summary>Records one finished epoch of <paramref name="stage"/> that took <paramref name="seconds"/>.</summary>
    public void Add(int stage, double seconds)
    {
        if (stage is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(stage), stage, "Stages are 1, 2 and 3.");
        if (!double.IsFinite(seconds) || seconds < 0) return; // a clock glitch must not poison the estimate
        _firstSeconds ??= seconds;
        _seconds[stage - 1].Add(seconds);
    }

    /// <summary>
    /// The time the run needs after <paramref name="globalEpochsDone"/> epochs (counted over all stages, so a resumed
    /// run that measured only its last epochs still counts the earlier ones as done); null before any epoch was timed.
    /// </summary>
    public EtaEstimate? Estimate(int globalEpochsDone)
    {
        if (_firstSeconds is not { } first) return null;
        var steady = Enumerable.Range(1, 3).Select(SteadySeconds).ToArray();
        var rough = steady.All(s => s is null);
        var reference = ReferenceStageOneSeconds(steady) ?? first / FirstEpochSpeedUpPrior;

        double remaining = 0;
        var start = 0;
        var current = 1;
        for (var stage = 1; stage <= 3; stage++)
        {
            var end = start + _epochsPerStage[stage - 1];
            var left = Math.Max(0, end - Math.Max(globalEpochsDone, start));
            // The stage the next epoch belongs to; after the last epoch, the last stage that has epochs.
            if (globalEpochsDone >= start && (globalEpochsDone < end || end == TotalEpochs && end > start)) current = stage;
            remaining += left * (steady[stage - 1] ?? reference * RelativeStageCost(stage));
            start = end;
        }
        var perEpoch = steady[current - 1] ?? reference * RelativeStageCost(current);
        var measuredStage = Array.FindIndex(_seconds, s => s.Count > 0) + 1;
        double? speedUp = steady[measuredStage - 1] is { } s && s > 0 ? first / s : null;
        return new EtaEstimate(TimeSpan.FromSeconds(remaining), perEpoch, speedUp, rough);
    }

    /// <summary>The median of a stage's recent epochs, its first left out once there are others; null when none ran.</summary>
    private double? SteadySeconds(int stage) => Steady(_seconds[stage - 1]);

    /// <summary>
    /// The steady time of one epoch among a stage's <paramref name="seconds"/> (in order): the median of the recent
    /// ones (the last <paramref name="window"/>), the stage's first left out; null while fewer than two were measured.
    /// The re-planning of a budget run judges by it too, over a longer window.
    /// </summary>
    public static double? Steady(IReadOnlyList<double> seconds, int window = RecentEpochs)
    {
        ArgumentNullException.ThrowIfNull(seconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        if (seconds.Count < 2) return null;
        var recent = seconds.Skip(1).TakeLast(window).Order().ToArray();
        return recent.Length % 2 == 1 ? recent[recent.Length / 2] : (recent[recent.Length / 2 - 1] + recent[recent.Length / 2]) / 2;
    }

    /// <summary>A stage-1 epoch's cost implied by the most recent stage that has a steady measurement.</summary>
    private static double? ReferenceStageOneSeconds(double?[] steady)
    {
        for (var stage = 3; stage >= 1; stage--)
            if (steady[stage - 1] is { } s) return s / RelativeStageCost(stage);
        return null;
    }
}
