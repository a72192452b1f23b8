namespace Medvis.Core.Data;

/// <summary>A place images come from (an npz file, an image folder, the synthetic generator).</summary>
public interface IDatasetSource
{
    /// <summary>Short display name.</summary>
    string Name { get; }

    /// <summary>Split sizes, class names and counts, image shape, without keeping the pixels.</summary>
    DatasetSummary Describe();

    /// <summary>Loads one split (or all of them). Throws <see cref="DatasetFormatException"/> on bad input.</summary>
    ImageDataset Load(DatasetSplit split);
}

/// <summary>What <see cref="IDatasetSource.Describe"/> reports.</summary>
/// <param name="Name">The dataset's display name (usually its file or folder name).</param>
/// <param name="Kind">The source format: "npz", "folder", "PatchCamelyon h5" or "synthetic".</param>
/// <param name="Channels">1 for grey, 3 for RGB.</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="ClassNames">Class names, indexed by label.</param>
/// <param name="CountsPerSplit">Split → images per class (indexed like <paramref name="ClassNames"/>); only splits the source has.</param>
/// <param name="Notes">Lines a person should read before using the data (a label table's matching summary); null for none.</param>
public sealed record DatasetSummary(
    string Name,
    string Kind,
    int Channels,
    int Height,
    int Width,
    IReadOnlyList<string> ClassNames,
    IReadOnlyDictionary<DatasetSplit, int[]> CountsPerSplit,
    IReadOnlyList<string>? Notes = null);

/// <summary>Bad dataset input: names the file and the problem, in one line.</summary>
public sealed class DatasetFormatException(string path, string problem, Exception? inner = null)
    : Exception($"{path}: {problem}", inner)
{
    public string Path { get; } = path;
    public string Problem { get; } = problem;
}
