using Medvis.Core.Data.Metadata;
using Microsoft.Extensions.Caching.Memory;

namespace Medvis.Web.Datasets;

/// <summary>Outcome of attaching a metadata CSV: the stored table, or a one-line message for the user.</summary>
public sealed record MetadataUploadResult(DatasetMetadata? Metadata, string? Error);

/// <summary>
/// Metadata tables of datasets: members attach a CSV (checked against the dataset's images by <see cref="MetadataCsv"/>,
/// audit-logged), everyone who reads a map reads it. Tables are cached: every map view of the dataset colours from one.
/// </summary>
public sealed class DatasetMetadataService(
    IMedvisStore database, IDatasetOpener opener, MetadataLimits limits, IMemoryCache cache, ILogger<DatasetMetadataService> logger)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The limits uploads are checked against (pages show the file size one).</summary>
    public MetadataLimits Limits => limits;

    /// <summary>The dataset's metadata, or null when none is attached.</summary>
    public DatasetMetadata? Get(int datasetId) =>
        cache.TryGetValue(Key(datasetId), out DatasetMetadata? cached) ? cached
            : database.Metadata.Load(datasetId) is { } loaded ? cache.Set(Key(datasetId), loaded, CacheLifetime) : null;

    /// <summary>
    /// The metadata that describes a run's points: the dataset's, when the run mapped its train split (the split keys
    /// refer to); null otherwise.
    /// </summary>
    public DatasetMetadata? ForRun(RunRecord run) =>
        run.Split == DatasetSplit.Train || (run.Split == DatasetSplit.All && database.Datasets.Get(run.DatasetId)?.Kind == "folder")
            ? Get(run.DatasetId) : null;

    /// <summary>Parses and stores (replacing any earlier table) a metadata CSV for dataset <paramref name="datasetId"/>.</summary>
    /// <exception cref="AccessDeniedException">The caller may not attach metadata (viewers, share links).</exception>
    public MetadataUploadResult Attach(Caller caller, int datasetId, string fileName, byte[] csv)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanAttachMetadata(caller), caller, "attach metadata");
        if (database.Datasets.Get(datasetId) is not { } dataset) return new(null, $"Dataset {datasetId} does not exist.");
        fileName = Path.GetFileName(fileName.Trim());
        if (fileName.Length == 0) fileName = "metadata.csv";
        try
        {
            return new(Save(caller, dataset, fileName, MetadataCsv.Parse(csv, fileName, KeysOf(dataset), limits)), null);
        }
        catch (Exception e) when (UserErrors.IsUserError(e))
        {
            return new(null, UserErrors.Describe(e));
        }
    }

    /// <summary>
    /// Stores the metadata an image folder carries itself as the dataset's metadata: the other columns of the label
    /// table its classes come from (all but its key and label) and the selected tags of its DICOM files
    /// (<see cref="ImageFolderDatasetSource.Metadata"/>); a result without metadata and without an error when it has
    /// none, or when the dataset has metadata already (registering a folder again must not replace a table a member attached).
    /// </summary>
    /// <exception cref="AccessDeniedException">The caller may not attach metadata.</exception>
    public MetadataUploadResult AttachFolderMetadata(Caller caller, int datasetId)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanAttachMetadata(caller), caller, "attach metadata");
        if (database.Datasets.Get(datasetId) is not { } dataset) return new(null, $"Dataset {datasetId} does not exist.");
        if (Get(datasetId) is not null) return new(null, null);
        try
        {
            return opener.Open(dataset.Spec, dataset.ImageSize) is ImageFolderDatasetSource folder
                   && folder.Metadata() is { Columns.Count: > 0 } metadata
                ? new(Save(caller, dataset, metadata.FileName, metadata), null)
                : new(null, null);
        }
        catch (Exception e) when (UserErrors.IsUserError(e))
        {
            return new(null, UserErrors.Describe(e));
        }
    }

    private DatasetMetadata Save(Caller caller, DatasetRecord dataset, string fileName, DatasetMetadata metadata)
    {
        metadata.DatasetId = dataset.Id;
        metadata.UploadedBy = caller.Name;
        metadata.UploadedAtUtc = DateTime.UtcNow;
        database.Metadata.Save(metadata);
        cache.Remove(Key(dataset.Id));
        database.Audit.Add(caller.Name, "attached metadata",
            $"dataset {dataset.Id} \"{dataset.Name}\": {fileName}, {metadata.RowCount} rows, columns {string.Join(", ", metadata.Columns.Select(c => c.Name))}");
        logger.LogInformation("Metadata {File} attached to dataset {Id}", fileName, dataset.Id);
        return metadata;
    }

    /// <summary>Removes a dataset's metadata; false when it had none.</summary>
    /// <exception cref="AccessDeniedException">The caller may not attach metadata.</exception>
    public bool Remove(Caller caller, int datasetId)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanAttachMetadata(caller), caller, "remove metadata");
        cache.Remove(Key(datasetId));
        if (!database.Metadata.Delete(datasetId)) return false;
        database.Audit.Add(caller.Name, "removed metadata", $"dataset {datasetId}");
        return true;
    }

    /// <summary>The train split's image count, and file names where the dataset is a folder of images.</summary>
    private MetadataKeys KeysOf(DatasetRecord dataset)
    {
        var count = dataset.CountOf(DatasetSplit.Train);
        var names = opener.Open(dataset.Spec, dataset.ImageSize) is ImageFolderDatasetSource folder ? folder.FileNames() : null;
        return new MetadataKeys(names?.Count ?? count, names);
    }

    private static (string, int) Key(int datasetId) => ("metadata", datasetId);
}
