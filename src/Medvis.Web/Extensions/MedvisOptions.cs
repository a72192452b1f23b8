using Medvis.Core.Runs;

namespace Medvis.Web.Extensions;

/// <summary>The web app's settings, section "Medvis" of appsettings.json.</summary>
public sealed class MedvisOptions
{
    public const string Section = "Medvis";

    /// <summary>The LiteDB file; a relative path is taken from the repository root (or the app's folder when published).</summary>
    public string DatabasePath { get; set; } = "data/medvis.db";

    /// <summary>Register the built-in synthetic demo dataset on first start.</summary>
    public bool SeedDemoDataset { get; set; } = true;

    /// <summary>Side length of the demo images (28 or 64).</summary>
    public int DemoImageSize { get; set; } = 28;

    /// <summary>How many runs train at the same time (1 = one run per device, the default).</summary>
    public int MaxConcurrentRuns { get; set; } = 1;

    /// <summary>Points a 10×10 grid cell needs before it shows an image (the paper uses 100).</summary>
    public int GridCellThreshold { get; set; } = 100;

    /// <summary>The "CPU quick" preset (minutes on a laptop CPU); tests shrink it further.</summary>
    public PresetSettings CpuQuick { get; set; } = new();
}

/// <summary>
/// Overridable parts of the "CPU quick" preset. Unset values follow <see cref="Medvis.Core.Training.TrainingOptions"/>'s
/// defaults (the engine's small CPU setting, also the CLI's), so the preset moves with the engine's tuning.
/// </summary>
public sealed class PresetSettings
{
    public string? Backbone { get; set; }
    public int? BatchSize { get; set; }
    /// <summary>Epochs of the three stages. (No array default here: the configuration binder appends configured
    /// elements to an existing array instead of replacing it.)</summary>
    public int[]? EpochsPerStage { get; set; }
    public int? SnapshotSize { get; set; }
    /// <summary>Train on at most this many images (seeded random subset); null = the whole split.</summary>
    public int? MaxImages { get; set; }

    /// <summary>These settings as the preset catalogue takes them.</summary>
    public QuickPresetOverrides ToOverrides() => new(Backbone, BatchSize, EpochsPerStage, SnapshotSize, MaxImages);
}
