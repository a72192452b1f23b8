using System.Globalization;

namespace Medvis.Core.Compute;

/// <summary>
/// How many libtorch threads a training uses: an explicit setting wins (<c>MEDVIS_TORCH_THREADS</c>, which
/// <c>medvis worker --threads</c> sets, or <c>OMP_NUM_THREADS</c>); otherwise the cores divided by the trainings
/// running on this machine (<see cref="HostTrainers"/>), at least one. A trainer asks again every epoch, so a run
/// that started alone gives up half the cores when a second one starts, and takes them back when it ends.
/// </summary>
public static class ThreadShare
{
    /// <summary>The variable that fixes the thread count for every training of a process.</summary>
    public const string ThreadsVariable = "MEDVIS_TORCH_THREADS";

    /// <summary>The explicit thread count in the environment, if any.</summary>
    public static int? Explicit(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var name in new[] { ThreadsVariable, "OMP_NUM_THREADS" })
            if (int.TryParse(environment(name), NumberStyles.None, CultureInfo.InvariantCulture, out var threads) && threads >= 1)
                return threads;
        return null;
    }

    /// <summary>The share of <paramref name="cores"/> for one of <paramref name="trainings"/> trainings.</summary>
    public static int Of(int cores, int trainings) => Math.Max(1, cores / Math.Max(1, trainings));
}
