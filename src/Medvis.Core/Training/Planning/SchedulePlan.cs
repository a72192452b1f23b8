namespace Medvis.Core.Training.Planning;

/// <summary>
/// What a time budget buys on this machine: the backbone, the precision and the epochs of the three stages, with the
/// seconds one epoch of each stage is expected to take. Written to the run card and the run log before training.
/// </summary>
/// <param name="Backbone">The chosen backbone.</param>
/// <param name="Precision">"fp32" or "bf16".</param>
/// <param name="EpochsPerStage">Epochs of stages 1, 2 and 3.</param>
/// <param name="EpochSeconds">Expected seconds of one epoch of each stage, overheads included.</param>
/// <param name="BudgetSeconds">The training time the plan had to fit (the budget less probe and scoring).</param>
/// <param name="Shape">The schedule shape's name.</param>
/// <param name="Reason">One line: why this backbone and these epochs.</param>
public sealed record SchedulePlan(string Backbone, string Precision, int[] EpochsPerStage, double[] EpochSeconds,
    double BudgetSeconds, string Shape, string Reason)
{
    /// <summary>Expected training seconds of the whole plan.</summary>
    public double ExpectedSeconds => ExpectedSecondsFrom(0);

    /// <summary>Expected seconds of the epochs after the first <paramref name="globalEpochsDone"/> (counted over all stages).</summary>
    public double ExpectedSecondsFrom(int globalEpochsDone)
    {
        double seconds = 0;
        var start = 0;
        for (var stage = 0; stage < 3; stage++)
        {
            var end = start + EpochsPerStage[stage];
            seconds += Math.Max(0, end - Math.Max(globalEpochsDone, start)) * EpochSeconds[stage];
            start = end;
        }
        return seconds;
    }

    /// <summary>"small, bf16, epochs 70/5/90, about 29.5 min": for logs and the page.</summary>
    public string Summary =>
        $"{Backbone}, {Precision}, epochs {string.Join("/", EpochsPerStage)} ({Shape} shape), about {FormatMinutes(ExpectedSeconds)} of training";

    /// <summary>
    /// "small, bf16, epochs 58/5/125, about 12.4 min of training left": a re-plan's line, priced from the epochs still to
    /// train (the whole plan at a drifted speed would overstate the time, since the epochs done already took theirs).
    /// </summary>
    public string RemainingSummary(int globalEpochsDone) =>
        $"{Backbone}, {Precision}, epochs {string.Join("/", EpochsPerStage)} ({Shape} shape), about {FormatMinutes(ExpectedSecondsFrom(globalEpochsDone))} of training left";

    internal static string FormatMinutes(double seconds) =>
        seconds < 90 ? $"{seconds:F0} s" : $"{seconds / 60:F1} min";
}
