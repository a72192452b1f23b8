using System.Text.Json;
using Medvis.Core.Data;
using Medvis.Core.Training;

namespace Medvis.Cli.Output;

/// <summary>What a finished run reports in metrics.json.</summary>
internal static class TrainingMetrics
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>
    /// The metrics of a run, by name. Extend here (kNN accuracy, silhouette, … from the Evaluation library):
    /// every entry added to the dictionary lands in metrics.json.
    /// </summary>
    public static Dictionary<string, object?> Compute(string dataSpec, DatasetSplit split, ImageDataset data,
        TrainingOptions options, TrainingResult result, double? lastImagesPerSecond)
    {
        return new Dictionary<string, object?>
        {
            ["dataset"] = dataSpec,
            ["split"] = split.ToString().ToLowerInvariant(),
            ["images"] = data.Count,
            ["classes"] = data.ClassNames.Count,
            ["imageSize"] = $"{data.Channels}x{data.Height}x{data.Width}",
            ["augmentation"] = options.Augmentation.ToSpec(),
            ["backbone"] = options.Backbone,
            ["batchSize"] = options.BatchSize,
            ["epochsPerStage"] = options.EpochsPerStage,
            ["learningRate"] = options.EffectiveLearningRate,
            ["seed"] = options.Seed,
            ["device"] = options.Device,
            ["durationSeconds"] = Math.Round(result.Duration.TotalSeconds, 3),
            ["finalLoss"] = double.IsFinite(result.FinalLoss) ? result.FinalLoss : null,
            ["imagesPerSecond"] = lastImagesPerSecond,
        };
    }

    public static void Write(string path, Dictionary<string, object?> metrics) =>
        File.WriteAllText(path, JsonSerializer.Serialize(metrics, Json));
}
