using Medvis.Core.Augmentation;
using Medvis.Core.Compute;
using Medvis.Core.Models;
using Medvis.Core.Runs;
using Medvis.Core.Training;

namespace Medvis.Web.Training;

/// <summary>
/// The new-run form's state, editable field by field, turned into a <see cref="RunRequest"/> on submit.
/// Picking a named augmentation set sets the toggles; changing a toggle makes the set "custom".
/// </summary>
public sealed class RunForm
{
    public const string Custom = "custom";

    public int? DatasetId { get; set; }
    public DatasetSplit Split { get; set; } = DatasetSplit.Train;
    public string? Name { get; set; }
    public int? MaxImages { get; set; }
    public string Backbone { get; set; } = "small";
    public int BatchSize { get; set; } = 256;
    public int EpochsStage1 { get; set; } = 30;
    public int EpochsStage2 { get; set; } = 5;
    public int EpochsStage3 { get; set; } = 15;
    /// <summary>Null: 0.03·batch/256 as in the reference.</summary>
    public double? LearningRate { get; set; }
    /// <summary>
    /// What an empty learning-rate field means for the current batch size, worded for whether the field is empty
    /// (a preset may have filled it in).
    /// </summary>
    public string LearningRateHint
    {
        get
        {
            var reference = new TrainingOptions { BatchSize = BatchSize, LearningRate = null }.EffectiveLearningRate;
            return LearningRate is null
                ? $"Empty: the reference rule 0.03·batch/256 = {reference:G3} for batch {BatchSize}"
                : $"Clear it for the reference rule 0.03·batch/256 = {reference:G3} for batch {BatchSize}";
        }
    }

    /// <summary>Stage 3 (fine-tuning) rate; null: automatic, see <see cref="TrainingOptions.FineTuneLearningRate"/>.</summary>
    public double? FineTuneLearningRate { get; set; }
    public int Seed { get; set; }
    public string Device { get; set; } = "auto";
    /// <summary>fp32, bf16 or auto (see <see cref="TrainingOptions.Precision"/>).</summary>
    public string Precision { get; set; } = ComputePrecision.Float32;
    /// <summary>The stage-1 objective spec (see <see cref="TrainingOptions.Objective"/>).</summary>
    public string Objective { get; set; } = TrainingObjective.TSimCne;
    /// <summary>The ISImed settings (used when <see cref="Objective"/> includes ISImed); penalty and unit are kept from the preset or copied run.</summary>
    public IsimedOptions Isimed { get; private set; } = new();
    /// <summary>ISImed crops per image.</summary>
    public int IsimedCrops { get => Isimed.CropsPerImage; set => Isimed = Isimed with { CropsPerImage = value }; }
    /// <summary>ISImed crop side as a fraction of the image side.</summary>
    public double IsimedCropFraction { get => Isimed.CropFraction; set => Isimed = Isimed with { CropFraction = value }; }
    /// <summary>Whether the objective uses ISImed (its settings are editable only then).</summary>
    public bool UsesIsimed => TrainingObjective.TryParse(Objective, out _)?.UsesIsimed == true;
    /// <summary>Train within this many minutes (the planner picks epochs, and the backbone when it is "auto"); null: the epochs given.</summary>
    public double? BudgetMinutes { get; set; }
    /// <summary>Whether a budget replaces the epoch fields.</summary>
    public bool Budgeted => BudgetMinutes is not null;
    public int SnapshotEvery { get; set; } = 1;
    public int SnapshotSize { get; set; } = 1000;
    public AugmentationOptions Augmentation { get; private set; } = AugmentationOptions.Rotate;

    /// <summary>Backbones the engine offers.</summary>
    public static IReadOnlyList<string> Backbones { get; } = [.. BackboneFactory.Names, TrainingOptions.AutoBackbone];

    /// <summary>Devices a run can ask for.</summary>
    public static IReadOnlyList<string> Devices { get; } = ["auto", "cpu", "cuda"];

    /// <summary>The objectives the select offers: the three named ones, and the form's own when it carries another weight (from a preset or a copied run).</summary>
    public IReadOnlyList<string> Objectives =>
        TrainingObjective.Names.Contains(Objective) ? TrainingObjective.Names : [.. TrainingObjective.Names, Objective];

    /// <summary>Precisions a run can ask for.</summary>
    public static IReadOnlyList<string> Precisions => ComputePrecision.Names;

    /// <summary>"natural", "rot90", "rotate" or "custom"; setting a named set replaces the toggles.</summary>
    public string AugmentationSet
    {
        // The maximum angle only matters with arbitrary rotation on; otherwise it must not make a set "custom".
        get => (Augmentation.ArbitraryRotation ? Augmentation : Augmentation with { MaxRotationDegrees = AugmentationOptions.Natural.MaxRotationDegrees }).Describe();
        set
        {
            if (value == Custom) return;
            var named = AugmentationOptions.FromName(value);
            Augmentation = named.ArbitraryRotation ? named : named with { MaxRotationDegrees = Augmentation.MaxRotationDegrees };
        }
    }

    public bool Crop { get => Augmentation.Crop; set => Augmentation = Augmentation with { Crop = value }; }
    public bool HorizontalFlip { get => Augmentation.HorizontalFlip; set => Augmentation = Augmentation with { HorizontalFlip = value }; }
    public bool ColorJitter { get => Augmentation.ColorJitter; set => Augmentation = Augmentation with { ColorJitter = value }; }
    public bool Grayscale { get => Augmentation.Grayscale; set => Augmentation = Augmentation with { Grayscale = value }; }
    public bool Rot90AndVerticalFlip { get => Augmentation.Rot90AndVerticalFlip; set => Augmentation = Augmentation with { Rot90AndVerticalFlip = value }; }
    public bool ArbitraryRotation { get => Augmentation.ArbitraryRotation; set => Augmentation = Augmentation with { ArbitraryRotation = value }; }
    public double MaxRotationDegrees { get => Augmentation.MaxRotationDegrees; set => Augmentation = Augmentation with { MaxRotationDegrees = value }; }

    /// <summary>Copies a preset's settings into the form (dataset, split and name stay).</summary>
    public void Apply(RunPreset preset) => Apply(preset.Options, preset.MaxImages);

    /// <summary>Copies training options into the form.</summary>
    public void Apply(TrainingOptions options, int? maxImages)
    {
        Augmentation = options.Augmentation;
        Backbone = options.Backbone;
        BatchSize = options.BatchSize;
        (EpochsStage1, EpochsStage2, EpochsStage3) = options.EpochsPerStage is [var a, var b, var c] ? (a, b, c) : (0, 0, 0);
        LearningRate = options.LearningRate;
        FineTuneLearningRate = options.FineTuneLearningRate;
        Seed = options.Seed;
        Device = options.Device;
        Precision = options.Precision;
        Objective = options.Objective;
        Isimed = options.Isimed;
        SnapshotEvery = options.SnapshotEvery;
        SnapshotSize = options.SnapshotSize;
        BudgetMinutes = options.BudgetMinutes;
        MaxImages = maxImages;
    }

    /// <summary>The training options the form describes (not yet validated).</summary>
    public TrainingOptions ToOptions() => new()
    {
        Augmentation = Augmentation,
        Backbone = Backbone,
        BatchSize = BatchSize,
        EpochsPerStage = [EpochsStage1, EpochsStage2, EpochsStage3],
        LearningRate = LearningRate,
        FineTuneLearningRate = FineTuneLearningRate,
        Seed = Seed,
        Device = Device,
        Precision = Precision,
        Objective = Objective,
        Isimed = Isimed,
        SnapshotEvery = SnapshotEvery,
        SnapshotSize = SnapshotSize,
        CheckpointEvery = Math.Max(1, SnapshotEvery),
        BudgetMinutes = BudgetMinutes,
    };

    /// <summary>The request to queue; DatasetId 0 when none is picked (the planner rejects it).</summary>
    public RunRequest ToRequest() => new(DatasetId ?? 0, Split, ToOptions(), MaxImages, Name);
}
