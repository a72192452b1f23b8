using System.Diagnostics;

namespace Medvis.Core.Tests.Data.Hostile;

/// <summary>What one action cost: wall time, managed bytes allocated, and the peak growth of the process's working set.</summary>
internal sealed record ResourceUse(TimeSpan Elapsed, long AllocatedBytes, long PeakWorkingSetGrowth)
{
    public override string ToString() =>
        $"{Elapsed.TotalMilliseconds:F0} ms, {AllocatedBytes / 1e6:F1} MB allocated, working set +{PeakWorkingSetGrowth / 1e6:F1} MB";
}

/// <summary>
/// Runs an action and measures it. The working set (managed and native memory alike, so SkiaSharp's bitmaps count)
/// is sampled every few milliseconds from another thread; managed allocations are counted process-wide, so the
/// callers run alone (a collection without parallelisation).
/// </summary>
internal static class ResourceMeter
{
    public static (ResourceUse Use, Exception? Error) Measure(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = Environment.WorkingSet;
        var peak = baseline;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            do peak = Math.Max(peak, Environment.WorkingSet);
            while (!done.Wait(2));
        }) { IsBackground = true };
        sampler.Start();
        var clock = Stopwatch.StartNew();
        Exception? error = null;
        try
        {
            action();
        }
        catch (Exception e)
        {
            error = e;
        }
        clock.Stop();
        done.Set();
        sampler.Join();
        peak = Math.Max(peak, Environment.WorkingSet);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return (new ResourceUse(clock.Elapsed, allocated, peak - baseline), error);
    }
}
