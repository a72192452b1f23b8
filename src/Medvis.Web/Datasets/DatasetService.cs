using Medvis.Core.Data;
using Medvis.Core.Data.Dicom;
using Medvis.Core.Data.LabelTables;
using Medvis.Core.Data.Metadata;
using Medvis.Core.Runs;
using Medvis.Core.Storage;
using Microsoft.Extensions.Caching.Memory;
using Medvis.Web.Auth;
using Microsoft.Extensions.Options;

namespace Medvis.Web.Datasets;

/// <summary>Outcome of registering a dataset: the record, or a message for the user; notes to read (a label table's matching summary).</summary>
public sealed record RegistrationResult(DatasetRecord? Dataset, string? Error, IReadOnlyList<string>? Notes = null)
{
    public bool Succeeded => Dataset is not null;
}

/// <summary>
/// Registers datasets and loads their images. Loaded splits are cached for a while because thumbnails,
/// map hovers and training all read the same pixels.
/// </summary>
public sealed class DatasetService(
    IMedvisStore database, IDatasetOpener opener, IMemoryCache cache, IOptions<MedvisOptions> options, DataRoots roots,
    MetadataLimits metadataLimits, ILogger<DatasetService> logger)
    : IDatasetLoader
{
    /// <summary>The spec of the built-in synthetic dataset.</summary>
    public const string DemoSpec = "demo";
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(10);
    private readonly SingleFlightDatasetLoader _loads = new((spec, split, imageSize) => opener.Open(spec, imageSize).Load(split));

    public IReadOnlyList<DatasetRecord> All() => database.Datasets.All();

    public DatasetRecord? Get(int id) => database.Datasets.Get(id);

    /// <summary>
    /// Registers the dataset at <paramref name="spec"/> (or returns the one already registered there). Admins only;
    /// a path must lie below a data root (<see cref="DataRoots"/>) and is stored in its canonical form.
    /// </summary>
    /// <exception cref="AccessDeniedException">The caller is not an admin.</exception>
    public RegistrationResult Register(Caller caller, string spec, int imageSize = 28, string? name = null)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanRegisterDatasets(caller), caller, "register datasets");
        return RegisterChecked(caller, spec, imageSize, "registered dataset", name);
    }

    /// <summary>
    /// Registers the folder at <paramref name="folder"/> with its classes from a label table (both below a data
    /// root); <see cref="RegistrationResult.Notes"/> then says which images, rows and labels did not match.
    /// </summary>
    /// <exception cref="AccessDeniedException">The caller is not an admin.</exception>
    public RegistrationResult RegisterWithLabels(Caller caller, string folder, LabelTableSpec labels, int imageSize = 28, string? name = null)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanRegisterDatasets(caller), caller, "register datasets");
        string spec;
        try
        {
            spec = new LabelledFolderSpec(folder.Trim(), labels.Validate()).ToSpec();
        }
        catch (ArgumentException e)
        {
            return new(null, e.Message);
        }
        return RegisterChecked(caller, spec, imageSize, "registered dataset", name);
    }

    /// <summary>
    /// How a labelled folder's table matches its images now (the registration's summary lines, read again so that
    /// files or rows added since show); null for other datasets.
    /// </summary>
    public IReadOnlyList<string>? LabelTableNotes(DatasetRecord dataset) =>
        LabelledFolderSpec.TryParse(dataset.Spec) is null ? null : opener.Open(dataset.Spec, dataset.ImageSize).Describe().Notes;

    /// <summary>The columns of the label table at <paramref name="csvPath"/> (below a data root), for the form's column pickers.</summary>
    /// <exception cref="AccessDeniedException">The caller is not an admin.</exception>
    public LabelTableColumns ReadLabelTableColumns(Caller caller, string csvPath)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanRegisterDatasets(caller), caller, "register datasets");
        if (string.IsNullOrWhiteSpace(csvPath)) return LabelTableColumns.Failed("Give the path of the label table (a CSV file).");
        if (roots.Resolve(csvPath.Trim()) is not { } path) return LabelTableColumns.Failed(DataRoots.OutsideRootsMessage);
        try
        {
            var table = MetadataCsv.ReadTableFile(path, metadataLimits);
            return new LabelTableColumns(path, table.Header, table.Header[MetadataCsv.DefaultKeyColumn(table.Header)], table.Rows.Count, null);
        }
        catch (Exception e) when (UserErrors.IsUserError(e))
        {
            return LabelTableColumns.Failed(UserErrors.Describe(e));
        }
    }

    /// <summary>Gives a dataset a new display name (admins only); returns the problem, or null when renamed.</summary>
    /// <exception cref="AccessDeniedException">The caller is not an admin.</exception>
    public string? Rename(Caller caller, int id, string name)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanRegisterDatasets(caller), caller, "rename datasets");
        if (NameProblem(name) is { } problem) return problem;
        if (database.Datasets.Get(id) is not { } dataset) return $"Dataset {id} does not exist.";
        database.Datasets.Rename(id, name.Trim());
        database.Audit.Add(caller.Name, "renamed dataset", $"{id} \"{dataset.Name}\" → \"{name.Trim()}\"");
        return null;
    }

    /// <summary>
    /// Removes a dataset's registration (admins only; the files stay where they are). Refused while runs use it,
    /// as their maps show its images. Returns the problem, or null when deleted.
    /// </summary>
    /// <exception cref="AccessDeniedException">The caller is not an admin.</exception>
    public string? Delete(Caller caller, int id)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanRegisterDatasets(caller), caller, "delete datasets");
        if (database.Datasets.Get(id) is not { } dataset) return $"Dataset {id} does not exist.";
        var runs = database.Runs.CountForDataset(id);
        if (runs > 0) return $"\"{dataset.Name}\" is used by {runs} run(s): delete them first.";
        database.Datasets.Delete(id);
        database.Audit.Add(caller.Name, "deleted dataset", $"{id} \"{dataset.Name}\" from {dataset.Spec}");
        return null;
    }

    /// <summary>Display names: 1–120 characters, not blank, no control characters.</summary>
    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "Give the dataset a name."
        : name.Trim().Length > 120 ? "A dataset name may have at most 120 characters."
        : name.Any(char.IsControl) ? "A dataset name may not contain control characters."
        : null;

    /// <summary>
    /// The name a dataset gets when none is given: the file or folder name, with the parent folder when the last
    /// part alone says little ("train", "images", "folder", …).
    /// </summary>
    public static string DefaultName(string spec, string describedName)
    {
        if (IsBuiltIn(spec)) return describedName;
        spec = spec.Split(LabelledFolderSpec.Separator)[0];
        var parts = spec.TrimEnd('/', '\\').Split('/', '\\', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && GenericFolderNames.Contains(parts[^1]) ? $"{parts[^2]}/{parts[^1]}" : describedName;
    }

    private static readonly HashSet<string> GenericFolderNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "folder", "images", "image", "imgs", "data", "dataset", "train", "test", "val", "all", "jpeg", "jpegs", "jpg", "png", "tiff", "original", "originals",
    };

    /// <summary>Registers a dataset a member uploaded (<see cref="DatasetUploads"/>); the path must lie in the upload folder.</summary>
    /// <exception cref="AccessDeniedException">The caller may not upload datasets.</exception>
    internal RegistrationResult RegisterUpload(Caller caller, string path, int imageSize)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanUploadDatasets(caller), caller, "upload datasets");
        if (options.Value.UploadFolderPath.Length == 0) return new(null, DataRoots.OutsideRootsMessage);
        var uploads = DataRoots.Canonical(options.Value.UploadFolderPath);
        if (!DataRoots.IsWithin(DataRoots.Canonical(path), uploads) || IsBuiltIn(path)) return new(null, DataRoots.OutsideRootsMessage);
        return RegisterChecked(caller, path, imageSize, "uploaded dataset", name: null);
    }

    private RegistrationResult RegisterChecked(Caller caller, string spec, int imageSize, string auditAction, string? name)
    {
        spec = spec.Trim();
        if (spec.Length == 0) return new(null, "Give a path to an .npz file or an image folder, or pick the demo.");
        if (imageSize is < 8 or > 512) return new(null, $"Image size {imageSize} must be between 8 and 512 pixels.");
        if (name is not null && NameProblem(name) is { } nameProblem) return new(null, nameProblem);
        if (!IsBuiltIn(spec))
        {
            // A malformed window is said as such; its message names no more than the user typed.
            if (WindowProblem(spec) is { } windowProblem) return new(null, windowProblem);
            // Checked before anything touches the file, with one message for every refusal: the answer must not
            // tell whether something exists outside the roots.
            if (ResolveWithinRoots(spec) is not { } canonical) return new(null, DataRoots.OutsideRootsMessage);
            spec = canonical;
        }
        if (database.Datasets.FindBySpec(spec) is { } existing)
            // Folders are resized on load, so another size is another dataset; one registration per path keeps
            // the runs of a path comparable, and a silent "already there" would hide that the size was not taken.
            return existing.ImageSize == imageSize || existing.Kind != "folder"
                ? new(existing, null)
                : new(null, $"{spec} is already registered as \"{existing.Name}\" at {existing.ImageSize} px; delete that registration first to use {imageSize} px.");
        try
        {
            var summary = opener.Open(spec, imageSize).Describe();
            if (summary.CountsPerSplit.Values.All(c => c.Sum() == 0))
                return new(null, $"{spec}: the dataset holds no images.");
            var record = database.Datasets.Add(new DatasetRecord
            {
                Name = name?.Trim() ?? DefaultName(spec, summary.Name), Spec = spec, ImageSize = imageSize, Kind = summary.Kind,
                Channels = summary.Channels, Height = summary.Height, Width = summary.Width,
                ClassNames = summary.ClassNames.ToList(),
                CountsPerSplit = summary.CountsPerSplit.ToDictionary(p => p.Key.ToString(), p => p.Value.ToArray()),
                RegisteredAtUtc = DateTime.UtcNow,
            });
            logger.LogInformation("Registered dataset {Spec} as {Id}", spec, record.Id);
            database.Audit.Add(caller.Name, auditAction, $"{record.Id} \"{record.Name}\" from {spec}");
            return new(record, null, summary.Notes);
        }
        catch (Exception e) when (UserErrors.IsUserError(e))
        {
            return new(null, UserErrors.Describe(e));
        }
    }

    private static string? WindowProblem(string spec)
    {
        try
        {
            DicomWindow.SplitSpec(spec);
            return null;
        }
        catch (DatasetFormatException e)
        {
            return UserErrors.Describe(e);
        }
    }

    /// <summary>
    /// The canonical spec when every path in it lies below a data root, else null: a path, or a labelled folder's
    /// folder and label table.
    /// </summary>
    private string? ResolveWithinRoots(string spec)
    {
        LabelledFolderSpec? labelled;
        DicomWindow? window;
        try
        {
            (spec, window) = DicomWindow.SplitSpec(spec);
            labelled = LabelledFolderSpec.TryParse(spec);
        }
        catch (DatasetFormatException)
        {
            return null;
        }
        var canonical = labelled is null ? roots.Resolve(spec)
            : roots.Resolve(labelled.Folder) is { } folder && roots.Resolve(labelled.Labels.CsvPath) is { } csv
                ? new LabelledFolderSpec(folder, labelled.Labels with { CsvPath = csv }).ToSpec()
                : null;
        return canonical is not null && window is not null ? window.AppendTo(canonical) : canonical;
    }

    /// <summary>Registers the synthetic demo on first start, so a fresh app can train at once.</summary>
    public void EnsureDemoRegistered()
    {
        if (!options.Value.SeedDemoDataset || database.Datasets.FindBySpec(DemoSpec) is not null) return;
        var result = Register(Caller.System, DemoSpec, options.Value.DemoImageSize);
        if (!result.Succeeded) logger.LogError("Could not register the demo dataset: {Error}", result.Error);
    }

    /// <summary>The built-in synthetic datasets ("demo", "demo:64", …) need no data root.</summary>
    private static bool IsBuiltIn(string spec) => spec.Split(':')[0].ToLowerInvariant() is DemoSpec or "demo-qc";

    /// <summary>The images of one split (cached); what map runs train on, too.</summary>
    public ImageDataset Load(string spec, int imageSize, DatasetSplit split) =>
        cache.GetOrCreate((spec, imageSize, split), entry =>
        {
            entry.SlidingExpiration = CacheLifetime;
            // Pages, thumbnails and a starting run often ask for the same split at once: one of them loads it.
            return _loads.LoadAsync(spec, split, imageSize).GetAwaiter().GetResult();
        })!;

    public ImageDataset Load(DatasetRecord dataset, DatasetSplit split) => Load(dataset.Spec, dataset.ImageSize, split);

    /// <summary>
    /// For an image folder, each loaded image's path below the folder ("class/ISIC_0027419.jpg"), in the order of
    /// <paramref name="images"/> (images that could not be decoded are not in it); null for other kinds of dataset.
    /// </summary>
    public IReadOnlyList<string>? FileNames(string spec, int imageSize, ImageDataset images) =>
        cache.GetOrCreate(("file names", spec, imageSize, images.Count), entry =>
        {
            entry.SlidingExpiration = CacheLifetime;
            return opener.Open(spec, imageSize) is ImageFolderDatasetSource folder
                ? folder.FileNames() is var all ? images.SourceIndices.Select(i => i >= 0 && i < all.Count ? all[i] : "").ToArray() : null
                : null;
        });

    /// <summary>Up to <paramref name="perClass"/> image indices (within <paramref name="split"/>) per class, for the sample grid.</summary>
    public IReadOnlyList<int[]> SampleIndicesPerClass(ImageDataset data, int perClass)
    {
        var samples = Enumerable.Range(0, data.ClassNames.Count).Select(_ => new List<int>(perClass)).ToArray();
        for (var i = 0; i < data.Count; i++)
        {
            var bucket = samples[data.Labels[i]];
            if (bucket.Count < perClass) bucket.Add(i);
        }
        return samples.Select(s => s.ToArray()).ToList();
    }
}
