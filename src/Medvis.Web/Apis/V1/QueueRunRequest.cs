using Medvis.Core.Augmentation;
using TrainingProblem = Medvis.Core.Training.ValidationProblem;

namespace Medvis.Web.Apis.V1;

/// <summary>
/// What <c>POST /api/v1/runs</c> takes: the New run form's fields. The form starts from a preset (cpu-quick unless
/// <see cref="Preset"/> names another) and every field given here replaces the preset's value, as typing into the
/// form would; the planner then checks the result as it checks the form.
/// </summary>
public sealed record QueueRunRequest
{
    /// <summary>The dataset to map (see <c>GET /api/v1/datasets</c>).</summary>
    public int? DatasetId { get; init; }
    /// <summary>train (default), val, test or all.</summary>
    public string? Split { get; init; }
    /// <summary>The run's name; empty: the dataset's name and the augmentation.</summary>
    public string? Name { get; init; }
    /// <summary>quick, standard, thorough, paper, cpu-quick (default), cpu-budget or cpu-orientation.</summary>
    public string? Preset { get; init; }
    /// <summary>Train on a seeded random subset of this many images.</summary>
    public int? MaxImages { get; init; }
    /// <summary>Train within this many minutes: the planner picks the epochs (and the backbone when it is auto).</summary>
    public double? BudgetMinutes { get; init; }
    /// <summary>tiny, small, resnet18, … or auto (with a budget).</summary>
    public string? Backbone { get; init; }
    /// <summary>Images per batch.</summary>
    public int? BatchSize { get; init; }
    /// <summary>Epochs of the three stages, e.g. [30, 5, 15].</summary>
    public int[]? EpochsPerStage { get; init; }
    /// <summary>Stage 1–2 learning rate; unset keeps the preset's.</summary>
    public double? LearningRate { get; init; }
    /// <summary>Stage 3 learning rate; unset keeps the preset's.</summary>
    public double? FineTuneLearningRate { get; init; }
    /// <summary>Random seed.</summary>
    public int? Seed { get; init; }
    /// <summary>auto, cpu or cuda.</summary>
    public string? Device { get; init; }
    /// <summary>fp32, bf16 or auto.</summary>
    public string? Precision { get; init; }
    /// <summary>The stage-1 objective: tsimcne, isimed or tsimcne+isimed.</summary>
    public string? Objective { get; init; }
    /// <summary>The augmentation set: natural, rot90 or rotate.</summary>
    public string? Augmentation { get; init; }
    /// <summary>Take a live 2-D snapshot every this many epochs (0: none).</summary>
    public int? SnapshotEvery { get; init; }
    /// <summary>Points in each live snapshot.</summary>
    public int? SnapshotSize { get; init; }

    /// <summary>
    /// The form this request fills in, or the fields that name nothing known (an unknown preset, split or
    /// augmentation set, epochs not given for three stages); the form's own checks come after, in the planner.
    /// </summary>
    public (RunForm? Form, IReadOnlyList<TrainingProblem> Problems) ToForm(RunPresetCatalog presets)
    {
        var problems = new List<TrainingProblem>();
        var form = new RunForm();
        try { form.Apply(presets.Get(Preset ?? RunPresetCatalog.CpuQuick)); }
        catch (ArgumentException e) { problems.Add(new(nameof(Preset), e.Message)); }
        form.DatasetId = DatasetId;
        if (Split is not null)
        {
            if (Enum.TryParse<DatasetSplit>(Split, ignoreCase: true, out var split) && Enum.IsDefined(split)) form.Split = split;
            else problems.Add(new(nameof(Split), $"unknown split '{Split}': use train, val, test or all"));
        }
        if (Augmentation is not null)
        {
            try
            {
                // The form's setter ignores "custom"; here it names no set, so it is refused like any unknown name.
                AugmentationOptions.FromName(Augmentation);
                form.AugmentationSet = Augmentation;
            }
            catch (ArgumentException e) { problems.Add(new(nameof(Augmentation), e.Message)); }
        }
        if (EpochsPerStage is not null)
        {
            if (EpochsPerStage is [var first, var second, var third]) (form.EpochsStage1, form.EpochsStage2, form.EpochsStage3) = (first, second, third);
            else problems.Add(new(nameof(EpochsPerStage), $"give the epochs of the three stages, e.g. [30, 5, 15], not {EpochsPerStage.Length} values"));
        }
        if (Name is not null) form.Name = Name;
        if (MaxImages is not null) form.MaxImages = MaxImages;
        if (BudgetMinutes is not null) form.BudgetMinutes = BudgetMinutes;
        if (Backbone is not null) form.Backbone = Backbone;
        if (BatchSize is { } batch) form.BatchSize = batch;
        if (LearningRate is not null) form.LearningRate = LearningRate;
        if (FineTuneLearningRate is not null) form.FineTuneLearningRate = FineTuneLearningRate;
        if (Seed is { } seed) form.Seed = seed;
        if (Device is not null) form.Device = Device;
        if (Precision is not null) form.Precision = Precision;
        if (Objective is not null) form.Objective = Objective;
        if (SnapshotEvery is { } every) form.SnapshotEvery = every;
        if (SnapshotSize is { } size) form.SnapshotSize = size;
        return problems.Count == 0 ? (form, []) : (null, problems);
    }
}
