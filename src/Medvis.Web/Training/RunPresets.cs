using Medvis.Core.Training;
using Microsoft.Extensions.Options;

namespace Medvis.Web.Training;

/// <summary>A named starting point for the new-run form.</summary>
public sealed record RunPreset(string Name, string Description, TrainingOptions Options, int? MaxImages);

/// <summary>
/// The presets the new-run form offers: "CPU quick" (configurable, minutes), "CPU budget" (the best map of about
/// 12,000 images within an hour on 2 cores) and "paper".
/// </summary>
public sealed class RunPresets(IOptions<MedvisOptions> options)
{
    public const string CpuQuick = "CPU quick";
    public const string CpuBudget = "CPU budget";
    public const string Paper = "paper";

    public IReadOnlyList<RunPreset> All => [Get(CpuQuick), Get(CpuBudget), Get(Paper)];

    public RunPreset Get(string name)
    {
        if (name == Paper)
            return new(Paper, "ResNet18, batch 1024, epochs [1000, 50, 450] (GPU: hours; CPU: days).", TrainingOptions.Paper, null);
        if (name == CpuBudget)
        {
            var budget = TrainingOptions.CpuBudget with { Device = "cpu" };
            return new(CpuBudget, $"{budget.Backbone} backbone, epochs [{string.Join(", ", budget.EpochsPerStage)}], stage 3 at lr {budget.EffectiveFineTuneLearningRate:G3}: "
                + "rotate without random greyscale (stain colour tells blood cells apart); "
                + "about 35 minutes for 12,000 images of 28 px on 2 CPU cores.", budget, null);
        }
        if (name != CpuQuick) throw new ArgumentException($"Unknown preset '{name}': use '{CpuQuick}', '{CpuBudget}' or '{Paper}'.");
        var quick = options.Value.CpuQuick;
        var defaults = new TrainingOptions();
        var training = defaults with
        {
            Backbone = quick.Backbone ?? defaults.Backbone,
            BatchSize = quick.BatchSize ?? defaults.BatchSize,
            EpochsPerStage = quick.EpochsPerStage?.ToArray() ?? defaults.EpochsPerStage,
            SnapshotSize = quick.SnapshotSize ?? defaults.SnapshotSize,
            Device = "cpu",
        };
        var epochs = string.Join(", ", training.EpochsPerStage);
        return new(CpuQuick, $"{training.Backbone} backbone, batch {training.BatchSize}, lr {training.EffectiveLearningRate:G3}, epochs [{epochs}] on the CPU (minutes).", training, quick.MaxImages);
    }
}
