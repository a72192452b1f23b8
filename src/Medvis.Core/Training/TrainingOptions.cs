using Medvis.Core.Augmentation;

namespace Medvis.Core.Training;

/// <summary>
/// Everything that defines a t-SimCNE run. Defaults are the CPU preset ("CPU quick": the tiny backbone, 60 epochs,
/// lr 0.1; about 2-3 minutes for the 2,100-image demo on 2 cores); <see cref="Paper"/> is the reference.
/// </summary>
public sealed record TrainingOptions
{
    public AugmentationOptions Augmentation { get; init; } = AugmentationOptions.Rotate;
    /// <summary>Backbone name, see <see cref="Models.BackboneFactory.Names"/>: "tiny" and "small" (fast CPU nets), "resnet18" (small-image ResNet18), "resnet18-imagenet" (standard, for ≥ 96 px).</summary>
    public string Backbone { get; init; } = "tiny";
    public int BatchSize { get; init; } = 256;
    /// <summary>Epochs of stage 1 (128-d), stage 2 (new 2-d layer only) and stage 3 (all layers).</summary>
    public int[] EpochsPerStage { get; init; } = [40, 5, 15];
    /// <summary>
    /// Base learning rate; null means 0.03·batch/256 as in the reference. The CPU default is 0.1 (more than 0.03 at
    /// batch 256): with 60 instead of 1500 epochs a larger rate reached better maps (demo kNN 91.4% vs 86.7%).
    /// </summary>
    public double? LearningRate { get; init; } = 0.1;
    /// <summary>
    /// Stage 3 (fine-tuning) learning rate; null means automatic: the reference's lr/1000 for a 450-epoch stage 3,
    /// scaled up for a shorter one so that rate × epochs stays the same (lr·0.45/epochs, at most lr/10). With lr/1000 a
    /// 20-epoch CPU stage 3 barely moves the map: blood cells kept 71.7% 2-D kNN while their backbone features reached 85.7%.
    /// </summary>
    public double? FineTuneLearningRate { get; init; }
    public int Seed { get; init; }
    /// <summary>"auto", "cpu" or "cuda".</summary>
    public string Device { get; init; } = "auto";
    /// <summary>
    /// "fp32", "bf16" (mixed precision: bf16 forward and backward with float32 master weights, optimiser step, loss and
    /// batch-norm statistics) or "auto" (bf16 where the CPU has amx_bf16/avx512_bf16, or on CUDA, and a short probe at
    /// the start measures it faster). See <see cref="Compute.ComputePrecision"/>.
    /// </summary>
    public string Precision { get; init; } = Compute.ComputePrecision.Float32;
    /// <summary>Send a 2-D snapshot every this many epochs in stages 2 and 3 (0 = never).</summary>
    public int SnapshotEvery { get; init; } = 1;
    /// <summary>How many (fixed, random) images the snapshots show.</summary>
    public int SnapshotSize { get; init; } = 1000;
    /// <summary>
    /// Save a checkpoint every this many epochs, but no sooner than <see cref="CheckpointMinSeconds"/> after the last
    /// one; always after a run's first epoch and at each stage's end.
    /// </summary>
    public int CheckpointEvery { get; init; } = 1;
    /// <summary>
    /// The least time between two checkpoints (seconds; 0: every <see cref="CheckpointEvery"/> epochs). Small datasets
    /// have epochs of a second, and saving each one cost more than training it.
    /// </summary>
    public double CheckpointMinSeconds { get; init; } = 60;
    /// <summary>
    /// The most time snapshots may take, as a share of the time since the previous one (0.1: 10%). A due snapshot is
    /// left out while the previous one's cost is above that share; each stage's last epoch always takes one. 1 keeps every one.
    /// </summary>
    public double SnapshotMaxOverhead { get; init; } = 0.1;
    /// <summary>
    /// Train within this many minutes instead of fixed epochs (null: <see cref="EpochsPerStage"/> as given). A short probe
    /// measures this machine, then <see cref="Planning.SchedulePlanner"/> picks the backbone (when <see cref="Backbone"/> is
    /// "auto"), the precision (when "auto") and the epochs; the run re-plans when its speed drifts.
    /// </summary>
    public double? BudgetMinutes { get; init; }
    /// <summary>How a budget is split over the stages: "cpu" (70 : 5 : 90, stage 3 at lr/10) or "reference" (1000 : 50 : 450); see <see cref="Planning.ScheduleShape"/>.</summary>
    public string ScheduleShape { get; init; } = Planning.ScheduleShape.Cpu.Name;

    /// <summary>The backbone name that lets a budget choose.</summary>
    public const string AutoBackbone = "auto";
    /// <summary>Projection head hidden width (1024 in the reference).</summary>
    public int HiddenDim { get; init; } = 1024;
    /// <summary>Stage 1 output width (128 in the reference).</summary>
    public int PretrainDim { get; init; } = 128;
    /// <summary>
    /// Loss of stage 1: Cauchy (the reference t-SimCNE pre-training) or cosine (SimCLR, for the SimCLR baseline;
    /// run it with epochs [n, 0, 0] and use the backbone features).
    /// </summary>
    public ContrastiveMetric PretrainLoss { get; init; } = ContrastiveMetric.Cauchy;
    /// <summary>
    /// The stage-1 objective: "tsimcne" (the contrastive loss), "isimed" (crops' latent distances pulled to their
    /// physical distances) or "tsimcne+isimed[:weight]" (both, ISImed weighted, default 1); see <see cref="TrainingObjective"/>.
    /// Stages 2 and 3 always train the 2-D map contrastively.
    /// </summary>
    public string Objective { get; init; } = TrainingObjective.TSimCne;
    /// <summary>Settings of the ISImed term, used when <see cref="Objective"/> includes it.</summary>
    public IsimedOptions Isimed { get; init; } = new();

    /// <summary>The parsed <see cref="Objective"/>; throws when it is invalid (see <see cref="Problems"/>). Not stored: <see cref="Objective"/> is.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TrainingObjective ParsedObjective => TrainingObjective.Parse(Objective);

    /// <summary>The paper's setting: ResNet18, batch 1024, epochs [1000, 50, 450].</summary>
    public static TrainingOptions Paper => new()
    {
        Backbone = "resnet18", BatchSize = 1024, EpochsPerStage = [1000, 50, 450], LearningRate = null, SnapshotEvery = 10, CheckpointEvery = 10,
    };

    /// <summary>
    /// The cpu-orientation preset's settings: the tiny backbone, views without rotations or flips beyond the
    /// horizontal one (<c>natural</c>), stage 1 with t-SimCNE + ISImed (weight 1), epochs [20, 5, 10].
    /// </summary>
    public static TrainingOptions CpuOrientation => new()
    {
        Augmentation = AugmentationOptions.Natural,
        EpochsPerStage = [20, 5, 10],
        Objective = TrainingObjective.Combined,
    };

    /// <summary>
    /// The CPU budget preset for real data of about 12,000 images (BloodMNIST's train split): the small backbone,
    /// epochs [70, 5, 90] (stage 2 is cheap: only the 2-d layer trains), stage 3 at lr/10, and <c>rotate</c> without
    /// random greyscale, because stain colour is what tells blood cells apart. Measured on 2 cores with 11,964
    /// blood-cell images: 38 minutes, 2-D kNN 87.7%; with the reference's greyscale the same schedule gave 78.9%.
    /// </summary>
    public static TrainingOptions CpuBudget => new()
    {
        Backbone = "small", EpochsPerStage = [70, 5, 90], FineTuneLearningRate = 0.01,
        Augmentation = AugmentationOptions.Rotate with { Grayscale = false },
    };

    /// <summary>The learning rate actually used: the explicit one or 0.03·batch/256.</summary>
    public double EffectiveLearningRate => LearningRate ?? 0.03 * BatchSize / 256.0;

    /// <summary>The stage 3 learning rate actually used, see <see cref="FineTuneLearningRate"/>.</summary>
    public double EffectiveFineTuneLearningRate
    {
        get
        {
            if (FineTuneLearningRate is { } explicitRate) return explicitRate;
            var epochs = EpochsPerStage is { Length: 3 } ? Math.Max(1, EpochsPerStage[2]) : ReferenceFineTuneEpochs;
            var fraction = ReferenceFineTuneEpochs / 1000.0 / epochs;
            return EffectiveLearningRate * Math.Clamp(fraction, 1 / 1000.0, 1 / 10.0);
        }
    }

    private const int ReferenceFineTuneEpochs = 450;

    /// <summary>Every problem of these options, field by field (empty when they can be used).</summary>
    public IReadOnlyList<ValidationProblem> Problems()
    {
        var problems = new List<ValidationProblem>();
        void Add(string field, string message) => problems.Add(new(field, message));
        if (BatchSize is < 4 or > 65536) Add(nameof(BatchSize), $"batch size {BatchSize} must be between 4 and 65536");
        if (EpochsPerStage is not { Length: 3 }) Add(nameof(EpochsPerStage), "epochs must be given for exactly three stages");
        else if (EpochsPerStage.Any(e => e is < 0 or > 100_000)) Add(nameof(EpochsPerStage), "epochs per stage must be between 0 and 100000");
        else if (EpochsPerStage.Sum() == 0) Add(nameof(EpochsPerStage), "at least one stage must have epochs");
        if (LearningRate is { } lr && (double.IsNaN(lr) || lr <= 0 || lr > 100)) Add(nameof(LearningRate), $"learning rate {lr} must be in (0, 100]");
        if (FineTuneLearningRate is { } ft && (double.IsNaN(ft) || ft <= 0 || ft > 100)) Add(nameof(FineTuneLearningRate), $"fine-tuning learning rate {ft} must be in (0, 100]");
        if (SnapshotEvery < 0) Add(nameof(SnapshotEvery), "snapshot interval must be ≥ 0");
        if (SnapshotSize is < 1 or > 100_000) Add(nameof(SnapshotSize), "snapshot size must be between 1 and 100000");
        if (CheckpointEvery < 1) Add(nameof(CheckpointEvery), "checkpoint interval must be ≥ 1");
        if (!double.IsFinite(CheckpointMinSeconds) || CheckpointMinSeconds is < 0 or > 86_400) Add(nameof(CheckpointMinSeconds), "time between checkpoints must be between 0 and 86400 seconds");
        if (!double.IsFinite(SnapshotMaxOverhead) || SnapshotMaxOverhead is <= 0 or > 1) Add(nameof(SnapshotMaxOverhead), "snapshot overhead must be in (0, 1]");
        if (BudgetMinutes is { } budget && (!double.IsFinite(budget) || budget is < 0.1 or > 10_080)) Add(nameof(BudgetMinutes), $"time budget {budget} min must be between 0.1 minutes and 7 days");
        if (Backbone != AutoBackbone && !Models.BackboneFactory.Names.Contains(Backbone))
            Add(nameof(Backbone), $"unknown backbone '{Backbone}': use {string.Join(", ", Models.BackboneFactory.Names)}, or auto with a time budget");
        if (Backbone == AutoBackbone && BudgetMinutes is null) Add(nameof(Backbone), "the backbone 'auto' needs a time budget to choose by");
        if (!Planning.ScheduleShape.All.Any(s => s.Name == ScheduleShape)) Add(nameof(ScheduleShape), $"schedule shape '{ScheduleShape}' must be one of {string.Join(", ", Planning.ScheduleShape.All.Select(s => s.Name))}");
        if (HiddenDim < 2 || PretrainDim < 2) Add(nameof(HiddenDim), "layer widths must be ≥ 2");
        if (Augmentation.MaxRotationDegrees is < 0 or > 180) Add(nameof(Augmentation), "maximum rotation must be within 0..180 degrees");
        if (!double.IsFinite(Augmentation.MinCropScale) || Augmentation.MinCropScale is <= 0 or > 1) Add(nameof(Augmentation), "smallest crop scale must be in (0, 1]");
        if (TrainingObjective.TryParse(Objective, out var objectiveProblem) is null) Add(nameof(Objective), objectiveProblem!);
        if (Isimed is null) Add(nameof(Isimed), "ISImed settings must be given");
        else problems.AddRange(Isimed.Problems());
        if (Compute.ComputePrecision.Normalize(Precision) is null)
            Add(nameof(Precision), $"precision '{Precision}' must be one of {string.Join(", ", Compute.ComputePrecision.Names)}");
        return problems;
    }

    /// <summary>Throws <see cref="InvalidSettingsException"/> listing every problem; returns the options for chaining.</summary>
    public TrainingOptions Validate() => Problems() is { Count: > 0 } problems ? throw new InvalidSettingsException(problems) : this;
}
