using Medvis.Core.Data;
using Medvis.Core.Maps;

namespace Medvis.Core.Storage;

/// <summary>What an imported map is attached to: a dataset split whose images its indices name, or nothing.</summary>
/// <param name="Dataset">The registered dataset; null for a map that stands alone (no thumbnails).</param>
/// <param name="Split">The split the indices refer to.</param>
/// <param name="Images">The split as loaded (its size bounds the indices; its labels colour a map without labels); null when standalone.</param>
public sealed record MapImportTarget(DatasetRecord? Dataset, DatasetSplit Split, ImageDataset? Images)
{
    /// <summary>A map without images.</summary>
    public static MapImportTarget Standalone { get; } = new(null, DatasetSplit.Train, null);
}

/// <summary>Who imports a map, for the run's owner and the audit log.</summary>
/// <param name="Name">User name (or the command that imported it).</param>
/// <param name="UserId">User id; 0 for the command line.</param>
public sealed record MapImporter(string Name, int UserId);

/// <summary>
/// Stores maps computed elsewhere as finished runs of kind <see cref="RunKind.Imported"/>, so that they open like a
/// trained run and can be compared with one (same dataset split). Used alike by <c>medvis import-map</c> and the
/// web app's upload.
/// </summary>
public static class MapImports
{
    /// <summary>The class a map without labels puts every point in.</summary>
    public const string UnlabelledClass = "points";

    /// <summary>
    /// Reads the CSV (<see cref="ImportedMapCsv"/>) and stores it as a finished run named <paramref name="name"/>.
    /// Labels come from the file's label column, else from the dataset, else one class for all.
    /// </summary>
    /// <exception cref="FormatException">A malformed CSV (one line).</exception>
    /// <exception cref="DatasetFormatException">More points or classes than <paramref name="limits"/> allow.</exception>
    public static RunRecord Import(IMedvisStore store, TextReader csv, string fileName, string name, MapImportTarget target, MapImporter importer, InputLimits limits)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(importer);
        if ((target.Dataset is null) != (target.Images is null)) throw new ArgumentException("An attached map needs both the dataset and its images.");
        var map = ImportedMapCsv.Read(csv, fileName, limits, target.Images?.Count);
        var (labels, classNames) = LabelsOf(map, target.Images);
        var dataset = target.Dataset;
        var title = string.IsNullOrWhiteSpace(name) ? Path.GetFileNameWithoutExtension(fileName) : name.Trim();
        var run = ImportedRun(title, $"imported from {fileName}: {map.Count:N0} points{(dataset is null ? ", without images" : $" of {dataset.Name} ({target.Split})")}");
        run.DatasetId = dataset?.Id ?? 0;
        run.DatasetSpec = dataset?.Spec ?? "";
        run.DatasetName = dataset?.Name ?? "(no images)";
        run.ImageSize = dataset?.ImageSize ?? 0;
        run.Split = target.Split;
        run.OwnerId = importer.UserId;
        run.OwnerName = importer.Name;
        run = AddWithMap(store, run, id => new RunResult(id, map.X, map.Y, labels, map.Indices, classNames));
        store.Audit.Add(importer.Name, "imported map", $"run {run.Id} \"{run.Name}\" ({map.Count} points)");
        return run;
    }

    /// <summary>A finished imported run made now, named <paramref name="name"/> (cut to 200 characters), its log one line.</summary>
    internal static RunRecord ImportedRun(string name, string message)
    {
        var now = DateTime.UtcNow;
        return new RunRecord
        {
            Name = name.Length > 200 ? name[..200] : name,
            Kind = RunKind.Imported,
            Status = RunStatus.Done,
            CreatedAtUtc = now,
            StartedAtUtc = now,
            FinishedAtUtc = now,
            Messages = [message],
        };
    }

    /// <summary>Adds <paramref name="run"/> and its map; a map that cannot be stored takes its run with it, so no finished run lacks one.</summary>
    internal static RunRecord AddWithMap(IMedvisStore store, RunRecord run, Func<int, RunResult> map)
    {
        var added = store.Runs.Add(run);
        try
        {
            store.Artifacts.SaveResult(map(added.Id));
        }
        catch
        {
            store.Runs.Delete(added.Id);
            throw;
        }
        return added;
    }

    private static (int[] Labels, IReadOnlyList<string> ClassNames) LabelsOf(ImportedMap map, ImageDataset? images)
    {
        if (map.Labels is { } labels && map.ClassNames is { } names)
        {
            // Class numbers with the dataset's names where the file gave none.
            if (images is not null && names.All(n => n.StartsWith("class ", StringComparison.Ordinal)) && names.Count <= images.ClassNames.Count)
                return (labels, images.ClassNames);
            return (labels, names);
        }
        if (images is not null) return (map.Indices.Select(i => images.Labels[i]).ToArray(), images.ClassNames);
        return (new int[map.Count], [UnlabelledClass]);
    }
}
