using System.Reflection;
using Medvis.Core.Compute;
using TorchSharp;

namespace Medvis.Core.Runs;

/// <summary>What software made a map: Medvis's version and commit, TorchSharp and the libtorch it was built against.</summary>
/// <param name="MedvisVersion">The informational version, "1.0.0+&lt;git commit&gt;" when built from a git checkout.</param>
/// <param name="TorchSharpVersion">The TorchSharp assembly's version.</param>
/// <param name="LibTorch">The libtorch flavour and version ("cpu 2.10.0"; "system" loads the machine's own).</param>
/// <param name="Runtime">The .NET runtime and operating system.</param>
public sealed record BuildInfo(string MedvisVersion, string TorchSharpVersion, string LibTorch, string Runtime)
{
    /// <summary>This process's build.</summary>
    public static BuildInfo Current { get; } = Read();

    private static BuildInfo Read()
    {
        var core = typeof(BuildInfo).Assembly;
        var version = core.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? core.GetName().Version?.ToString() ?? "unknown";
        var libTorch = core.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "LibTorchVersion")?.Value;
        return new BuildInfo(
            version,
            typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown",
            ComputeDevice.BuildBackend == "system" ? "system (the machine's libtorch)" : $"{ComputeDevice.BuildBackend} {libTorch}".Trim(),
            $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
    }
}
