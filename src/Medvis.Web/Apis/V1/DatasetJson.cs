namespace Medvis.Web.Apis.V1;

/// <summary>A registered dataset as the REST API describes it.</summary>
/// <param name="Id">The dataset's id (what a run request names).</param>
/// <param name="Name">Its display name.</param>
/// <param name="Spec">Where it comes from: a path, a catalogue name, or <c>demo</c>.</param>
/// <param name="ImageSize">Side of the images the maps train on, in pixels.</param>
/// <param name="Kind">The loader that reads it (npz, folder, …).</param>
/// <param name="Channels">1 for grey, 3 for colour.</param>
/// <param name="ClassNames">Class names, by label.</param>
/// <param name="Images">Images per split (train, val, test).</param>
/// <param name="RegisteredAtUtc">When it was registered.</param>
public sealed record DatasetJson(int Id, string Name, string Spec, int ImageSize, string Kind, int Channels,
    IReadOnlyList<string> ClassNames, IReadOnlyDictionary<string, int> Images, DateTime RegisteredAtUtc)
{
    /// <summary>Describes a stored dataset.</summary>
    public static DatasetJson Of(DatasetRecord dataset) => new(dataset.Id, dataset.Name, dataset.Spec, dataset.ImageSize, dataset.Kind,
        dataset.Channels, dataset.ClassNames,
        new[] { DatasetSplit.Train, DatasetSplit.Val, DatasetSplit.Test }.ToDictionary(s => s.ToString().ToLowerInvariant(), dataset.CountOf),
        dataset.RegisteredAtUtc);
}
