using System.Runtime.InteropServices;

namespace Medvis.Core.Compute;

/// <summary>
/// Keeps glibc from handing libtorch's large, short-lived tensor buffers back to the kernel after every step.
/// glibc serves allocations above its mmap threshold (128 KB at start, raised dynamically by frees) with fresh
/// mmaps and trims the heap top above its trim threshold, so each training step page-faults and zero-fills its
/// activations again. That is why the benchmark read bf16 at half speed when run alone and full speed after an fp32
/// run (whose larger frees had raised both thresholds), and why real runs were slower than the benchmark. Fixed
/// thresholds (32 MB mmap, 512 MB trim) keep the freed pages in the process: 2-core AMD EPYC, one thread, small
/// backbone, batch 256: bf16 730 → 1,124 images/s, fp32 355 → 768.
/// </summary>
public static partial class NativeAllocator
{
    private const int TrimThresholdParameter = -1, MmapThresholdParameter = -3;

    /// <summary>Allocations below this come from the heap and are reused.</summary>
    public const int MmapThresholdBytes = 32 * 1024 * 1024;

    /// <summary>Free memory at the heap top kept before it is returned to the kernel.</summary>
    public const int TrimThresholdBytes = 512 * 1024 * 1024;

    /// <summary>Sets the thresholds (idempotent); false where there is no glibc (other platforms, musl).</summary>
    public static bool KeepFreedBuffers()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return Mallopt(MmapThresholdParameter, MmapThresholdBytes) == 1 && Mallopt(TrimThresholdParameter, TrimThresholdBytes) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
