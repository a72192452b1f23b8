using Xunit.Abstractions;

namespace Medvis.Core.Tests.Data.Hostile;

/// <summary>The time and memory every hostile input must stay within, whichever path it goes through.</summary>
internal static class HostileBounds
{
    /// <summary>Generous for a busy two-core machine; a refusal takes milliseconds, what it prevents takes minutes.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(5);
    public const long AllocationLimit = 256L << 20;
    public const long WorkingSetGrowthLimit = 384L << 20;

    /// <summary>Runs the action twice (the first run pays for JIT compilation) and bounds the second; returns its error.</summary>
    public static Exception? Measure(ITestOutputHelper output, string name, Action action)
    {
        ResourceMeter.Measure(action);
        var (use, error) = ResourceMeter.Measure(action);
        output.WriteLine($"{name}: {use}; {error?.Message ?? "accepted"}");
        Assert.True(use.Elapsed < TimeLimit, $"{name} took {use.Elapsed.TotalSeconds:F1} s");
        Assert.True(use.AllocatedBytes < AllocationLimit, $"{name} allocated {use.AllocatedBytes / 1e6:F0} MB");
        Assert.True(use.PeakWorkingSetGrowth < WorkingSetGrowthLimit, $"{name} grew the working set by {use.PeakWorkingSetGrowth / 1e6:F0} MB");
        return error;
    }
}
