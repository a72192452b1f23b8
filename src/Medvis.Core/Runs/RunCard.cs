using System.Text.Json;
using System.Text.Json.Serialization;
using Medvis.Core.Data;
using Medvis.Core.Training;

namespace Medvis.Core.Runs;

/// <summary>The dataset a map was trained on, with a content hash that tells whether another copy holds the same data.</summary>
/// <param name="Spec">What opened it (path, "demo").</param>
/// <param name="Name">Its display name.</param>
/// <param name="Split">The split trained on.</param>
/// <param name="ImageSize">Side length folder and demo images were resized to.</param>
/// <param name="MaxImages">The subset size asked for (null: the whole split).</param>
/// <param name="SplitImages">Images in the split.</param>
/// <param name="TrainedImages">Images the run trained on (the seeded subset, or the whole split).</param>
/// <param name="Shape">Channels × height × width.</param>
/// <param name="ContentHash">See <see cref="DatasetFingerprint"/>; covers the whole split, before any subset.</param>
public sealed record RunCardDataset(string Spec, string Name, DatasetSplit Split, int ImageSize, int? MaxImages,
    int SplitImages, int TrainedImages, string Shape, string ContentHash);

/// <summary>How the map was scored: the stratified split of its points for kNN.</summary>
/// <param name="Method">The split's algorithm.</param>
/// <param name="TestFraction">Share of points held out.</param>
/// <param name="Seed">The split's seed (scikit-learn's random_state).</param>
/// <param name="TrainCount">Points the classifier was fitted on.</param>
/// <param name="TestCount">Points it was scored on.</param>
/// <param name="K">Neighbours.</param>
public sealed record RunCardEvaluation(string Method, double TestFraction, int Seed, int TrainCount, int TestCount, int K);

/// <summary>Where and how long the run trained.</summary>
/// <param name="Device">The torch device it trained on ("cpu", "cuda:0").</param>
/// <param name="Precision">The arithmetic of the forward and backward passes.</param>
/// <param name="ProcessorCount">Logical cores of the machine.</param>
/// <param name="TorchThreads">Threads libtorch used.</param>
/// <param name="MachineName">The machine's host name.</param>
/// <param name="TrainingSeconds">Time spent training, summed over resumptions.</param>
/// <param name="WallSeconds">Load, training and evaluation of the last (or only) attempt.</param>
/// <param name="FinishedAtUtc">When the map was written.</param>
public sealed record RunCardMachine(string Device, string Precision, int ProcessorCount, int TorchThreads, string MachineName,
    double TrainingSeconds, double WallSeconds, DateTime FinishedAtUtc);

/// <summary>
/// The reproducibility card of a map (<c>run.json</c>; a panel in the web app): software versions, every setting and
/// the seed, the dataset's content hash, the evaluation split, the machine and the time. <c>medvis train --card</c>
/// trains the same map again from it.
/// </summary>
/// <param name="Build">Medvis, TorchSharp and libtorch versions.</param>
/// <param name="Dataset">The data, with its content hash.</param>
/// <param name="Options">Every training setting, the seed among them.</param>
/// <param name="Evaluation">How the metrics were computed.</param>
/// <param name="Machine">Device, precision, cores and time.</param>
/// <param name="KnnAccuracy">The map's kNN accuracy.</param>
/// <param name="Silhouette">The map's silhouette (null where undefined).</param>
/// <param name="FinalLoss">The last epoch's loss.</param>
public sealed record RunCard(BuildInfo Build, RunCardDataset Dataset, TrainingOptions Options, RunCardEvaluation Evaluation,
    RunCardMachine Machine, double KnnAccuracy, double? Silhouette, double? FinalLoss)
{
    /// <summary>The version of this card's layout; a reader refuses a newer one.</summary>
    public int CardVersion { get; init; } = CurrentVersion;

    /// <summary>
    /// A budget run's plan as it ended (backbone, precision, epochs and expected epoch times; null for fixed epochs).
    /// <see cref="Options"/> then hold the planned settings without the budget, so the card trains the same map again.
    /// </summary>
    public Training.Planning.SchedulePlan? Plan { get; init; }

    /// <summary>The time budget the run was given, in minutes (null: fixed epochs).</summary>
    public double? BudgetMinutes { get; init; }

    /// <summary>The layout version this build writes.</summary>
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The request that trains this map again.</summary>
    public MapRunRequest ToRequest() =>
        new(new DatasetSelection(Dataset.Spec, Dataset.Split, Dataset.ImageSize, Dataset.MaxImages), Options);

    /// <summary>The card as indented JSON (camelCase).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a card written by <see cref="ToJson"/>.</summary>
    /// <exception cref="FormatException">Not a run card, or one from a newer Medvis.</exception>
    public static RunCard FromJson(string json, string source)
    {
        RunCard? card;
        try { card = JsonSerializer.Deserialize<RunCard>(json, Json); }
        catch (JsonException e) { throw new FormatException($"{source}: not a run card ({e.Message})."); }
        if (card?.Dataset is null || card.Options is null || card.Build is null)
            throw new FormatException($"{source}: not a run card (it lacks the dataset, options or build).");
        if (card.CardVersion > CurrentVersion)
            throw new FormatException($"{source}: card version {card.CardVersion} is newer than this Medvis reads ({CurrentVersion}).");
        return card;
    }
}
