using Medvis.Core.Training;

namespace Medvis.Core.Lab;

/// <summary>
/// The job queues, one per device kind: a run asking for CUDA waits in <see cref="Cuda"/>, which only GPU workers
/// serve; every other run (cpu, auto) waits in <see cref="Cpu"/>, which any worker may serve.
/// </summary>
public static class RunQueues
{
    /// <summary>Runs that need a GPU.</summary>
    public const string Cuda = "cuda";
    /// <summary>Runs any machine can train.</summary>
    public const string Cpu = "cpu";

    /// <summary>Every queue, in the order a worker serving both should take from them.</summary>
    public static IReadOnlyList<string> All { get; } = [Cuda, Cpu];

    /// <summary>The queue of a run with these options.</summary>
    public static string For(TrainingOptions options) =>
        string.Equals(options.Device, "cuda", StringComparison.OrdinalIgnoreCase) ? Cuda : Cpu;

    /// <summary>Parses a comma-separated queue list; null with a reason in <paramref name="error"/> when a name is unknown.</summary>
    public static string[]? Parse(string list, out string? error)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant()).Distinct().ToArray();
        var unknown = names.Where(n => !All.Contains(n)).ToList();
        error = names.Length == 0 ? "name at least one queue (cuda, cpu)"
            : unknown.Count > 0 ? $"unknown queue {string.Join(", ", unknown)} (known: cuda, cpu)" : null;
        return error is null ? names : null;
    }
}
