using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Compute;

/// <summary>A resolved precision: the type the network computes in and why it was chosen.</summary>
/// <param name="Name">"fp32" or "bf16".</param>
/// <param name="Reason">One line for the run log.</param>
public sealed record PrecisionChoice(string Name, string Reason)
{
    /// <summary>The tensor type of the forward and backward passes.</summary>
    public ScalarType ComputeType => Name == ComputePrecision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float32;

    /// <summary>
    /// Whether training feeds channels-last (NHWC) activations. Off for both precisions: on the 2-core AMD EPYC
    /// (avx512_bf16, no AMX) NHWC ran at 0.4× (fp32) and 0.2× (bf16) the images/s of NCHW (small backbone, batch 256;
    /// PyTorch 1.13 agreed for fp32). Measure again on AMX machines with <c>medvis bench training --both-layouts</c>.
    /// </summary>
    public bool ChannelsLast => false;
}

/// <summary>
/// Chooses between float32 and bfloat16 mixed precision. bfloat16 keeps float32 master weights, optimiser step, loss
/// and batch-norm statistics; only the convolutions and matmuls of the forward and backward passes run in bf16.
/// </summary>
public static class ComputePrecision
{
    /// <summary>Float32 throughout.</summary>
    public const string Float32 = "fp32";
    /// <summary>bfloat16 mixed precision.</summary>
    public const string BFloat16 = "bf16";
    /// <summary>bf16 where the hardware has bf16 instructions and a short probe measures it faster, else fp32.</summary>
    public const string Auto = "auto";

    /// <summary>The accepted names.</summary>
    public static IReadOnlyList<string> Names { get; } = [Float32, BFloat16, Auto];

    /// <summary>The name in canonical form ("fp32", "bf16", "auto"); null when it is none of them.</summary>
    public static string? Normalize(string? requested) => requested?.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" => Float32,
        "bf16" or "bfloat16" => BFloat16,
        "auto" => Auto,
        _ => null,
    };

    /// <summary>
    /// The CPU flags that make bf16 worth trying (<c>amx_bf16</c>, <c>avx512_bf16</c>) read from <paramref name="cpuInfo"/>
    /// (the text of /proc/cpuinfo); empty when there are none.
    /// </summary>
    public static IReadOnlyList<string> Bf16CpuFlags(string cpuInfo)
    {
        var flags = cpuInfo.Split('\n')
            .Where(line => line.StartsWith("flags", StringComparison.Ordinal))
            .SelectMany(line => line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        return new[] { "amx_bf16", "avx512_bf16" }.Where(flags.Contains).ToArray();
    }

    /// <summary>This machine's bf16 CPU flags (none when /proc/cpuinfo is unreadable).</summary>
    public static IReadOnlyList<string> Bf16CpuFlags()
    {
        try { return Bf16CpuFlags(File.ReadAllText("/proc/cpuinfo")); }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
    }

    /// <summary>
    /// Resolves <paramref name="requested"/> for <paramref name="device"/>. For "auto" on a CPU with bf16 instructions, or on
    /// CUDA, <paramref name="measureImagesPerSecond"/> times a few steps in each precision and bf16 wins only when faster.
    /// </summary>
    /// <exception cref="ArgumentException">When the name is unknown.</exception>
    public static PrecisionChoice Resolve(string? requested, Device device, Func<ScalarType, double> measureImagesPerSecond) =>
        Resolve(requested, device, Bf16CpuFlags(), measureImagesPerSecond);

    /// <summary><see cref="Resolve(string?, Device, Func{ScalarType, double})"/> for a CPU with the given bf16 flags.</summary>
    internal static PrecisionChoice Resolve(string? requested, Device device, IReadOnlyList<string> cpuFlags, Func<ScalarType, double> measureImagesPerSecond)
    {
        var name = Normalize(requested) ?? throw new ArgumentException($"Unknown precision '{requested}': use {string.Join(", ", Names)}.");
        if (name == Float32) return new PrecisionChoice(Float32, "fp32 as asked");
        if (name == BFloat16) return new PrecisionChoice(BFloat16, "bf16 as asked");
        if (device.type == DeviceType.CPU)
        {
            var flags = cpuFlags;
            if (flags.Count == 0) return new PrecisionChoice(Float32, "auto: fp32, the CPU has no amx_bf16 or avx512_bf16");
            return Probe(measureImagesPerSecond, $"CPU flags {string.Join(", ", flags)}");
        }
        return Probe(measureImagesPerSecond, $"{device.type}");
    }

    private static PrecisionChoice Probe(Func<ScalarType, double> measureImagesPerSecond, string hardware)
    {
        var fp32 = measureImagesPerSecond(ScalarType.Float32);
        var bf16 = measureImagesPerSecond(ScalarType.BFloat16);
        var measured = $"probe {bf16:F0} images/s bf16 vs {fp32:F0} fp32";
        return bf16 > fp32
            ? new PrecisionChoice(BFloat16, $"auto: bf16 ({hardware}; {measured})")
            : new PrecisionChoice(Float32, $"auto: fp32 ({hardware}, but {measured})");
    }
}
