namespace Medvis.Core.Training.Planning;

/// <summary>
/// Fits a t-SimCNE schedule into a time budget from measured throughput. The rule, in order:
/// <list type="number">
/// <item>the best backbone (candidates come in quality order) whose whole reference schedule (1000 : 50 : 450) fits;</item>
/// <item>else the best backbone whose scaled schedule still has at least <see cref="MinimumUsefulEpochs"/> epochs;</item>
/// <item>else the fastest backbone, scaled to the budget.</item>
/// </list>
/// A schedule never exceeds the reference's epochs in any stage. Stage costs: stage 1 and 3 train every layer (the
/// probe's images/s); stage 2 trains only the new 2-D layer (<see cref="TrainingEta.RelativeStageCost"/>).
/// </summary>
public static class SchedulePlanner
{
    /// <summary>The reference schedule: the most any plan trains.</summary>
    public static IReadOnlyList<int> ReferenceEpochs { get; } = [1000, 50, 450];

    /// <summary>
    /// The fewest epochs (all stages) worth a bigger backbone: the cpu schedule that reached 87.9% on blood cells had
    /// 165. Fewer epochs of a bigger network lose to more epochs of a smaller one.
    /// </summary>
    public const int MinimumUsefulEpochs = 150;

    /// <summary>Time per epoch that does not scale with images (the epoch's set-up, progress, bounded snapshots), as a fraction.</summary>
    public const double EpochOverheadFraction = 0.05;

    /// <summary>
    /// The share of the probe's images/s that stage 1 of a real run is planned at. Once denormals were flushed and the
    /// probe ran at the run's batch, real runs met or beat it: on a quiet 2-core Xeon the probe read tiny bf16 at 1,900
    /// images/s and stage 1 trained at 2,160–2,330; on the 2-core EPYC small bf16 trained at about 1,970 against a
    /// probe of 1,379 at batch 128. (Before those fixes stage 1 reached only 65–75% of the probe, and this was 0.75.)
    /// Planning at the probe's own speed errs on the cheap side: a run found faster re-plans and gains epochs in every
    /// stage, while an overbooked one would have to take them from stage 1, which the map needs most.
    /// </summary>
    public const double ProbeSpeedShare = 1.0;

    /// <summary>Plans <paramref name="images"/> images into <paramref name="budgetSeconds"/> of training.</summary>
    /// <param name="budgetSeconds">Seconds available for the epochs themselves.</param>
    /// <param name="images">Training images (one epoch sees each once).</param>
    /// <param name="candidates">Measured throughput, best backbone first; one entry per backbone (its faster precision).</param>
    /// <param name="shape">How the epochs are split when the reference schedule does not fit.</param>
    /// <exception cref="ArgumentException">No candidates, a non-positive budget or image count.</exception>
    public static SchedulePlan Plan(double budgetSeconds, int images, IReadOnlyList<BackboneThroughput> candidates, ScheduleShape shape)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(shape);
        if (candidates.Count == 0) throw new ArgumentException("Planning needs the throughput of at least one backbone.");
        if (!(budgetSeconds > 0)) throw new ArgumentException($"A budget of {budgetSeconds} s leaves no time to train.");
        if (images < 1) throw new ArgumentException("Planning needs at least one image.");

        foreach (var candidate in candidates)
        {
            var costs = EpochSeconds(images, candidate);
            var reference = ReferenceEpochs.ToArray();
            if (Cost(reference, costs) <= budgetSeconds)
                return new(candidate.Backbone, candidate.Precision, reference, costs, budgetSeconds, ScheduleShape.Reference.Name,
                    $"the whole reference schedule of {candidate.Backbone} fits the budget");
        }
        foreach (var candidate in candidates)
        {
            var costs = EpochSeconds(images, candidate);
            var epochs = Fit(shape.Proportions, costs, budgetSeconds);
            if (epochs.Sum() >= MinimumUsefulEpochs)
                return new(candidate.Backbone, candidate.Precision, epochs, costs, budgetSeconds, shape.Name,
                    $"{candidate.Backbone} is the best backbone that gets at least {MinimumUsefulEpochs} epochs within the budget");
        }
        var fastest = candidates.MaxBy(c => c.ImagesPerSecond)!;
        var fastestCosts = EpochSeconds(images, fastest);
        return new(fastest.Backbone, fastest.Precision, Fit(shape.Proportions, fastestCosts, budgetSeconds), fastestCosts, budgetSeconds, shape.Name,
            $"no backbone gets {MinimumUsefulEpochs} epochs within the budget, so the fastest one trains as long as it fits");
    }

    /// <summary>
    /// The plan with its remaining epochs refitted to <paramref name="remainingSeconds"/>, after the epochs of the current
    /// stage were measured to take <paramref name="measuredEpochSeconds"/> instead of the plan's time. Every stage's cost is
    /// scaled by the same ratio; the epochs already trained stay, the rest keep their proportions.
    /// </summary>
    /// <param name="plan">The plan in force.</param>
    /// <param name="globalEpochsDone">Epochs trained, over all stages.</param>
    /// <param name="stage">The stage (1–3) that was measured.</param>
    /// <param name="measuredEpochSeconds">Its steady seconds per epoch.</param>
    /// <param name="remainingSeconds">Training time left.</param>
    public static SchedulePlan Replan(SchedulePlan plan, int globalEpochsDone, int stage, double measuredEpochSeconds, double remainingSeconds)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var ratio = measuredEpochSeconds / plan.EpochSeconds[stage - 1];
        if (!double.IsFinite(ratio) || ratio <= 0) return plan;
        var costs = plan.EpochSeconds.Select(c => c * ratio).ToArray();
        var done = DoneByStage(plan.EpochsPerStage, globalEpochsDone);
        var left = plan.EpochsPerStage.Select((e, i) => e - done[i]).ToArray();
        var leftCost = Cost(left, costs);
        var scale = leftCost > 0 ? Math.Max(0, remainingSeconds) / leftCost : 1;
        var epochs = new int[3];
        for (var i = 0; i < 3; i++)
        {
            var wanted = done[i] + (int)Math.Round(left[i] * scale);
            // The current stage keeps at least the epoch it is in; a stage that had epochs keeps one.
            var least = i == stage - 1 ? Math.Max(done[i], 1) : plan.EpochsPerStage[i] > 0 ? Math.Max(done[i], 1) : done[i];
            epochs[i] = Math.Clamp(wanted, least, Math.Max(least, ReferenceEpochs[i]));
        }
        return plan with
        {
            EpochsPerStage = epochs, EpochSeconds = costs,
            Reason = $"re-planned after epoch {globalEpochsDone}: stage {stage} took {measuredEpochSeconds:F2} s per epoch, the plan expected {plan.EpochSeconds[stage - 1]:F2} s",
        };
    }

    /// <summary>Whether a measured epoch time is off the plan by more than <paramref name="tolerance"/> (0.15: 15%).</summary>
    public static bool Drifted(SchedulePlan plan, int stage, double measuredEpochSeconds, double tolerance = 0.15) =>
        Math.Abs(measuredEpochSeconds / plan.EpochSeconds[stage - 1] - 1) > tolerance;

    /// <summary>Expected seconds of one epoch of each stage for a backbone's measured speed.</summary>
    public static double[] EpochSeconds(int images, BackboneThroughput throughput)
    {
        var full = images / (throughput.ImagesPerSecond * ProbeSpeedShare) * (1 + EpochOverheadFraction);
        return [full * TrainingEta.RelativeStageCost(1), full * TrainingEta.RelativeStageCost(2), full * TrainingEta.RelativeStageCost(3)];
    }

    private static double Cost(IReadOnlyList<int> epochs, IReadOnlyList<double> costs) => epochs.Select((e, i) => e * costs[i]).Sum();

    /// <summary>Proportions scaled to the budget, each stage with proportion above 0 at least one epoch, none past the reference; leftover time goes to stage 1.</summary>
    private static int[] Fit(IReadOnlyList<int> proportions, double[] costs, double budgetSeconds)
    {
        var scale = budgetSeconds / Cost(proportions, costs);
        var epochs = proportions.Select((p, i) => p == 0 ? 0 : Math.Clamp((int)Math.Floor(p * scale), 1, ReferenceEpochs[i])).ToArray();
        var spare = budgetSeconds - Cost(epochs, costs);
        if (spare > costs[0]) epochs[0] = Math.Min(ReferenceEpochs[0], epochs[0] + (int)Math.Floor(spare / costs[0]));
        return epochs;
    }

    private static int[] DoneByStage(IReadOnlyList<int> epochsPerStage, int globalEpochsDone)
    {
        var done = new int[3];
        var start = 0;
        for (var i = 0; i < 3; i++)
        {
            done[i] = Math.Clamp(globalEpochsDone - start, 0, epochsPerStage[i]);
            start += epochsPerStage[i];
        }
        return done;
    }
}
