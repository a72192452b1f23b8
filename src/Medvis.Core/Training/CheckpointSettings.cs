using System.Text.Json;
using System.Text.Json.Nodes;
using Medvis.Core.Compute;
using Medvis.Core.Data;

namespace Medvis.Core.Training;

/// <summary>
/// The settings a checkpoint was trained with, so that resuming with other ones (another seed, augmentation,
/// schedule or dataset in the same output folder) fails loudly instead of silently continuing the old run.
/// </summary>
internal static class CheckpointSettings
{
    /// <summary>
    /// JSON of everything that shapes the result; the device and the snapshot/checkpoint cadence do not.
    /// <paramref name="options"/> carry the resolved precision ("fp32" or "bf16", not "auto"). fp32, the t-SimCNE
    /// objective and unused ISImed settings are left out, so checkpoints written before those options existed still
    /// match; the objective is recorded in its canonical spelling.
    /// </summary>
    public static string Describe(TrainingOptions options, ImageDataset data)
    {
        var normalized = options with { Device = "any", SnapshotEvery = 0, SnapshotSize = 1, CheckpointEvery = 1 };
        var settings = JsonNode.Parse(TrainingOptionsJson.Serialize(normalized))!.AsObject();
        // Cadence and budget do not shape the result: a budget run's checkpoint records the plan's epochs and backbone.
        foreach (var cadence in new[] { nameof(TrainingOptions.CheckpointMinSeconds), nameof(TrainingOptions.SnapshotMaxOverhead),
                     nameof(TrainingOptions.BudgetMinutes), nameof(TrainingOptions.ScheduleShape) })
            settings.Remove(cadence);
        if (ComputePrecision.Normalize(options.Precision) == ComputePrecision.Float32) settings.Remove(nameof(TrainingOptions.Precision));
        if (!options.ParsedObjective.UsesIsimed) settings.Remove(nameof(TrainingOptions.Isimed));
        if (options.ParsedObjective.ToSpec() == TrainingObjective.TSimCne) settings.Remove(nameof(TrainingOptions.Objective));
        else settings[nameof(TrainingOptions.Objective)] = options.ParsedObjective.ToSpec();
        settings["Data"] = $"{data.Count} images, {data.Channels}×{data.Height}×{data.Width}, {data.ClassNames.Count} classes";
        return settings.ToJsonString();
    }

    /// <summary>Throws <see cref="InvalidDataException"/> naming the settings that differ.</summary>
    public static void EnsureSame(string saved, string current)
    {
        if (saved == current) return;
        var before = JsonNode.Parse(saved)?.AsObject() ?? [];
        var now = JsonNode.Parse(current)!.AsObject();
        var differing = now.Select(p => p.Key).Union(before.Select(p => p.Key))
            .Where(key => !JsonNode.DeepEquals(before[key], now[key]))
            .Select(key => $"{key} {Show(before[key])} → {Show(now[key])}");
        throw new InvalidDataException(
            "The checkpoint was made with other settings, so this run cannot continue it (" + string.Join("; ", differing) +
            "). Train into a new output folder, or delete the old checkpoint to start over.");
    }

    /// <summary>The precision a checkpoint's settings record ("fp32" when they predate the option or name none).</summary>
    public static string SavedPrecision(string saved) =>
        JsonNode.Parse(saved)?.AsObject()[nameof(TrainingOptions.Precision)]?.GetValue<string>() ?? ComputePrecision.Float32;

    /// <summary>
    /// The options a budget run continues with: the plan its checkpoint records (backbone, epochs, precision and
    /// stage-3 rate) in place of planning again, which could choose differently on a busier machine.
    /// </summary>
    public static TrainingOptions AdoptPlan(string saved, TrainingOptions options)
    {
        var settings = JsonNode.Parse(saved)?.AsObject() ?? [];
        return options with
        {
            Backbone = settings[nameof(TrainingOptions.Backbone)]?.GetValue<string>() ?? options.Backbone,
            EpochsPerStage = settings[nameof(TrainingOptions.EpochsPerStage)]?.AsArray().Select(e => e!.GetValue<int>()).ToArray() ?? options.EpochsPerStage,
            Precision = SavedPrecision(saved),
            FineTuneLearningRate = settings[nameof(TrainingOptions.FineTuneLearningRate)]?.GetValue<double>() ?? options.FineTuneLearningRate,
        };
    }

    /// <summary>Shown to a person, so "+" in "tsimcne+isimed" stays "+" rather than the default escape \u002B.</summary>
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Show(JsonNode? node) => node?.ToJsonString(Readable) ?? "none";
}
