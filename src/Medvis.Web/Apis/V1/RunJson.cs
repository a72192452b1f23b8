using System.Text.Json;

namespace Medvis.Web.Apis.V1;

/// <summary>A run as the REST API describes it.</summary>
/// <param name="Id">The run's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Status">queued, running, done, failed or cancelled.</param>
/// <param name="QueuePosition">Its place in line while queued (1: next), else null.</param>
/// <param name="Kind">trained, or imported (a map computed elsewhere).</param>
/// <param name="DatasetId">The dataset it maps.</param>
/// <param name="DatasetName">That dataset's name when the run was queued.</param>
/// <param name="Split">train, val, test or all.</param>
/// <param name="MaxImages">The image limit, or null for the whole split.</param>
/// <param name="OwnerId">The user who queued it.</param>
/// <param name="OwnerName">That user's name.</param>
/// <param name="CreatedAtUtc">When it was queued.</param>
/// <param name="StartedAtUtc">When training started.</param>
/// <param name="FinishedAtUtc">When it ended.</param>
/// <param name="EpochsDone">Epochs finished so far.</param>
/// <param name="TotalEpochs">Epochs of its schedule, once known.</param>
/// <param name="FinalLoss">The loss of its last epoch.</param>
/// <param name="Error">Why it failed (one line).</param>
/// <param name="Options">Its training settings, as <c>medvis train</c> takes them.</param>
public sealed record RunJson(int Id, string Name, string Status, int? QueuePosition, string Kind, int DatasetId, string DatasetName,
    string Split, int? MaxImages, int OwnerId, string OwnerName, DateTime CreatedAtUtc, DateTime? StartedAtUtc, DateTime? FinishedAtUtc,
    int EpochsDone, int? TotalEpochs, double? FinalLoss, string? Error, JsonElement Options)
{
    /// <summary>Describes a stored run; <paramref name="queuePosition"/> comes from <see cref="Core.Lab.QueuePositions"/>.</summary>
    public static RunJson Of(RunRecord run, int? queuePosition)
    {
        using var options = JsonDocument.Parse(string.IsNullOrWhiteSpace(run.OptionsJson) ? "{}" : run.OptionsJson);
        return new(run.Id, run.Name, Lower(run.Status), queuePosition, Lower(run.Kind), run.DatasetId, run.DatasetName, Lower(run.Split),
            run.MaxImages, run.OwnerId, run.OwnerName, run.CreatedAtUtc, run.StartedAtUtc, run.FinishedAtUtc, run.History.Count,
            run.History.LastOrDefault()?.TotalEpochs, run.FinalLoss, run.Error, options.RootElement.Clone());
    }

    /// <summary>How the API spells an enum value: lower case, as in the query filters.</summary>
    public static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
