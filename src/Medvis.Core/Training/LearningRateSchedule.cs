namespace Medvis.Core.Training;

/// <summary>
/// The reference's per-epoch schedule: linear warm-up from 0 over <c>warmup</c> epochs
/// (linspace(0, η, w), so epoch 0 has lr 0), then cosine annealing η/2·(1 + cos(π(e−w)/(n+1−w))).
/// </summary>
public static class LearningRateSchedule
{
    /// <summary>Learning rate of epoch <paramref name="epoch"/> (0-based) out of <paramref name="epochs"/>.</summary>
    public static double At(int epoch, int epochs, int warmup, double baseRate)
    {
        if (epoch < warmup)
            return warmup == 1 ? baseRate : baseRate * epoch / (warmup - 1);
        return baseRate / 2 * (1 + Math.Cos(Math.PI * (epoch - warmup) / (epochs + 1 - warmup)));
    }

    /// <summary>
    /// Warm-up epochs for a stage. The reference warms up 10 epochs of 1000 (stage 1) and 450 (stage 3);
    /// short CPU runs would spend most of a stage warming up, so the warm-up is capped at a tenth of the stage
    /// (identical to the reference for stages of 100 epochs or more).
    /// </summary>
    public static int WarmupEpochs(int referenceWarmup, int epochs) =>
        referenceWarmup == 0 ? 0 : Math.Min(referenceWarmup, Math.Max(1, (int)Math.Ceiling(epochs / 10.0)));
}
