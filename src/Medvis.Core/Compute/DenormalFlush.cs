using System.Runtime.InteropServices;

namespace Medvis.Core.Compute;

/// <summary>
/// Sets the calling thread's SSE control register to flush denormal results to zero and read denormal inputs as zero
/// (MXCSR bits FTZ and DAZ), as PyTorch's <c>torch.set_flush_denormal(True)</c> does. Threads started afterwards by
/// this thread inherit the setting (POSIX threads copy the floating-point environment), which is how libtorch's
/// worker threads get it when training sets it before its first parallel operation.
/// </summary>
public static partial class DenormalFlush
{
    private const int EnvironmentBytes = 32, MxcsrOffset = 28;
    private const uint FlushToZero = 1u << 15, DenormalsAreZero = 1u << 6;

    /// <summary>Turns FTZ and DAZ on for this thread; false where it cannot (not x86-64 Linux with glibc).</summary>
    public static bool Enable()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return false;
        try
        {
            var environment = new byte[EnvironmentBytes];
            if (GetEnvironment(environment) != 0) return false;
            var mxcsr = BitConverter.ToUInt32(environment, MxcsrOffset) | FlushToZero | DenormalsAreZero;
            BitConverter.TryWriteBytes(environment.AsSpan(MxcsrOffset), mxcsr);
            if (SetEnvironment(environment) != 0) return false;
            return IsEnabled();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Whether FTZ and DAZ are on for this thread.</summary>
    public static bool IsEnabled()
    {
        var environment = new byte[EnvironmentBytes];
        if (GetEnvironment(environment) != 0) return false;
        var mxcsr = BitConverter.ToUInt32(environment, MxcsrOffset);
        return (mxcsr & (FlushToZero | DenormalsAreZero)) == (FlushToZero | DenormalsAreZero);
    }

    [LibraryImport("libm.so.6", EntryPoint = "fegetenv")]
    private static partial int GetEnvironment([Out] byte[] environment);

    [LibraryImport("libm.so.6", EntryPoint = "fesetenv")]
    private static partial int SetEnvironment([In] byte[] environment);
}
