using Medvis.Core.Augmentation;
using Medvis.Core.Training;

namespace Medvis.Core.Runs;

/// <summary>A named starting point for a run; <c>--preset</c> on the command line and the buttons of the web form show the same names.</summary>
/// <param name="Name">"cpu-quick", "cpu-budget", "cpu-orientation" or "paper".</param>
/// <param name="Description">What it trains and roughly how long it takes.</param>
/// <param name="Options">The training settings.</param>
/// <param name="MaxImages">A subset size the preset asks for (null: the whole split).</param>
public sealed record RunPreset(string Name, string Description, TrainingOptions Options, int? MaxImages = null);

/// <summary>Changes a host may make to the cpu-quick preset (the web app shrinks it for its tests and demos); unset values keep the engine's defaults.</summary>
/// <param name="Backbone">Backbone name.</param>
/// <param name="BatchSize">Batch size.</param>
/// <param name="EpochsPerStage">Epochs of the three stages.</param>
/// <param name="SnapshotSize">Points in the live snapshots.</param>
/// <param name="MaxImages">Train on at most this many images.</param>
public sealed record QuickPresetOverrides(string? Backbone = null, int? BatchSize = null, int[]? EpochsPerStage = null,
    int? SnapshotSize = null, int? MaxImages = null);

/// <summary>
/// The presets: cpu-quick (the engine's defaults: minutes for the demo on 2 cores), cpu-budget (the best map of
/// about 12,000 images within the hour on 2 cores), cpu-orientation (images whose orientation carries anatomy:
/// no rotations, stage 1 with t-SimCNE + ISImed) and paper (the reference schedule, for a GPU). The cpu presets
/// train on the CPU; paper picks the device automatically.
/// </summary>
public sealed class RunPresetCatalog(QuickPresetOverrides? quick = null)
{
    /// <summary>Preset names.</summary>
    public const string CpuQuick = "cpu-quick", CpuBudget = "cpu-budget", CpuOrientation = "cpu-orientation", Paper = "paper",
        Quick = "quick", Standard = "standard", Thorough = "thorough";

    /// <summary>Every preset, in the order they are offered.</summary>
    public IReadOnlyList<RunPreset> All => [.. Names.Select(Get)];

    /// <summary>The names, for help texts.</summary>
    public static IReadOnlyList<string> Names { get; } = [Quick, Standard, Thorough, Paper, CpuQuick, CpuBudget, CpuOrientation];

    /// <summary>The budget of each timed preset, in minutes.</summary>
    public static IReadOnlyDictionary<string, double> BudgetMinutes { get; } = new Dictionary<string, double>
    {
        [Quick] = 5, [Standard] = 30, [Thorough] = 120,
    };

    /// <summary>The preset called <paramref name="name"/> (case and surrounding space ignored).</summary>
    /// <exception cref="ArgumentException">An unknown name, listing the known ones.</exception>
    public RunPreset Get(string name) => name.Trim().ToLowerInvariant() switch
    {
        Quick or Standard or Thorough => Timed(name.Trim().ToLowerInvariant()),
        CpuQuick => CpuQuickPreset(),
        CpuBudget => Budget(),
        CpuOrientation => Orientation(),
        Paper => new(Paper, "ResNet18, batch 1024, epochs [1000, 50, 450]: the reference schedule (GPU: hours; CPU: days).",
            TrainingOptions.Paper),
        _ => throw new ArgumentException($"Unknown preset '{name}': use {string.Join(", ", Names)}."),
    };

    /// <summary>
    /// A budget and the schedule shape: the planner probes the machine and picks backbone, precision and epochs
    /// (see <see cref="Training.Planning.SchedulePlanner"/>). Views are <c>rotate</c> without random greyscale, the
    /// best measured for stained microscopy; for images whose orientation carries anatomy, pick <c>natural</c>.
    /// </summary>
    private static RunPreset Timed(string name)
    {
        var minutes = BudgetMinutes[name];
        var options = new TrainingOptions
        {
            Backbone = TrainingOptions.AutoBackbone, BudgetMinutes = minutes, Precision = Compute.ComputePrecision.Auto,
            Augmentation = AugmentationOptions.Rotate with { Grayscale = false },
        };
        return new(name, $"{Training.Planning.BudgetText.Format(minutes)} on this machine: a short probe picks the backbone, precision and epochs that fit "
            + "(the whole paper schedule when it fits; the run re-plans if its speed drifts).", options);
    }

    private RunPreset CpuQuickPreset()
    {
        var defaults = new TrainingOptions();
        var options = defaults with
        {
            Backbone = quick?.Backbone ?? defaults.Backbone,
            BatchSize = quick?.BatchSize ?? defaults.BatchSize,
            EpochsPerStage = quick?.EpochsPerStage?.ToArray() ?? defaults.EpochsPerStage,
            SnapshotSize = quick?.SnapshotSize ?? defaults.SnapshotSize,
            Device = "cpu",
        };
        return new(CpuQuick, $"{options.Backbone} backbone, batch {options.BatchSize}, lr {options.EffectiveLearningRate:G3}, "
            + $"epochs [{string.Join(", ", options.EpochsPerStage)}] on the CPU (minutes).", options, quick?.MaxImages);
    }

    /// <summary>
    /// For ultrasound, fundus photos, X-rays: rotations would teach the map to ignore the orientation that carries
    /// the anatomy, so views are `natural`, and stage 1 adds ISImed's positional loss to the contrastive one. The
    /// schedule is the short one the objective comparison in docs/results.md measured on 28-px MedMNIST sets.
    /// </summary>
    private static RunPreset Orientation()
    {
        var options = TrainingOptions.CpuOrientation with { Device = "cpu" };
        return new(CpuOrientation, $"{options.Backbone} backbone, {options.Augmentation.ToSpec()} views (no rotations), stage 1 {options.Objective}, "
            + $"epochs [{string.Join(", ", options.EpochsPerStage)}]: for images whose orientation carries anatomy (ultrasound, fundus, X-ray); "
            + "about 5–10 minutes for 500 images of 28 px on 2 busy CPU cores.", options);
    }

    private static RunPreset Budget()
    {
        var options = TrainingOptions.CpuBudget with { Device = "cpu" };
        return new(CpuBudget, $"{options.Backbone} backbone, epochs [{string.Join(", ", options.EpochsPerStage)}], "
            + $"stage 3 at lr {options.EffectiveFineTuneLearningRate:G3}, {AugmentationOptions.Rotate.ToSpec()} without random greyscale "
            + "(stain colour tells blood cells apart): about 35 minutes for 12,000 images of 28 px on 2 CPU cores.", options);
    }
}
