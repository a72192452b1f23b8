using TorchSharp;

namespace Medvis.Core.Compute;

/// <summary>Chooses the torch device a run uses: CUDA when present (or asked for), else CPU.</summary>
public static class ComputeDevice
{
    /// <summary>Resolves "auto", "cpu" or "cuda[:n]" to a device; "cuda" without a GPU is an error, not a silent fallback.</summary>
    public static torch.Device Resolve(string? requested = "auto")
    {
        var name = string.IsNullOrWhiteSpace(requested) ? "auto" : requested.Trim().ToLowerInvariant();
        if (name == "auto")
            return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (name == "cpu")
            return torch.CPU;
        if (name.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
                throw new ArgumentException($"Device '{requested}' was requested but no CUDA GPU is available (this build uses the {BuildBackend} libtorch).");
            return new torch.Device(name);
        }
        throw new ArgumentException($"Unknown device '{requested}': use auto, cpu or cuda.");
    }

    /// <summary>The libtorch flavour this build references (set with -p:TorchBackend=cpu|cuda|system).</summary>
    public static string BuildBackend =>
        typeof(ComputeDevice).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .OfType<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "TorchBackend")?.Value ?? "cpu";

    /// <summary>A one-line description for logs and the UI.</summary>
    public static string Describe() =>
        $"TorchSharp {typeof(torch).Assembly.GetName().Version} ({BuildBackend} build), CUDA available: {torch.cuda.is_available()}, threads: {torch.get_num_threads()}";
}
