using System.Globalization;
using Medvis.Core.Data.Dicom;
using Medvis.Core.Data.LabelTables;
using Medvis.Core.Data.Metadata;

namespace Medvis.Core.Data;

/// <summary>
/// Turns a user's dataset spec into a source: <c>demo</c>, <c>demo:64</c>, <c>demo-qc</c> (synthetic, with
/// duplicates and artefacts), a <c>.npz</c> file, a folder of class folders, a PatchCamelyon <c>.h5</c> file, or a
/// folder of images labelled by a table (<see cref="LabelledFolderSpec"/>). A folder's spec may end in
/// <c>|window=centre,width</c> or <c>|window=minmax</c>, the window of its grey DICOM images (<see cref="DicomWindow"/>).
/// </summary>
public static class DatasetCatalog
{
    /// <summary>What users may type, for help texts.</summary>
    public const string SpecHelp = "demo | demo:64 | demo-qc | file.npz | PCam *_x.h5 | folder of class folders (or of any images with --labels file.csv:column; DICOM too, optionally folder|window=centre,width)";

    /// <summary>
    /// The spec of <paramref name="data"/> with its classes from <paramref name="labels"/>: the labelled folder spec,
    /// with both paths made absolute so the spec means the same from any working directory.
    /// </summary>
    /// <exception cref="ArgumentException">The data is not a folder, or a path holds the spec's separator.</exception>
    public static string WithLabels(string data, LabelTableSpec labels)
    {
        if (!Directory.Exists(data.Trim()))
            throw new ArgumentException($"{data}: labels from a table need a folder of images (--data <folder> --labels file.csv:column)");
        return new LabelledFolderSpec(Path.GetFullPath(data.Trim()), labels with { CsvPath = Path.GetFullPath(labels.CsvPath) }).ToSpec();
    }

    /// <summary>The source a spec names. <paramref name="imageSize"/> applies to folders and to "demo" without a size.</summary>
    /// <param name="spec">What the user typed.</param>
    /// <param name="imageSize">Image side for folders and the demo.</param>
    /// <param name="limits">Input limits for files and folders; <see cref="InputLimits.Default"/> when null.</param>
    /// <param name="tableLimits">Limits on a labelled folder's table; <see cref="MetadataLimits.Default"/> when null.</param>
    /// <exception cref="DatasetFormatException">For a missing path or an unsupported kind of file.</exception>
    public static IDatasetSource Open(string spec, int imageSize = 28, InputLimits? limits = null, MetadataLimits? tableLimits = null)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new DatasetFormatException("(empty)", "no dataset given; use " + SpecHelp);
        var (trimmed, window) = DicomWindow.SplitSpec(spec.Trim());
        if (TryOpenDemo(trimmed, imageSize) is { } demo) return window is null ? demo : throw WindowNeedsFolder(trimmed);
        if (LabelledFolderSpec.TryParse(trimmed) is { } labelled)
            return new ImageFolderDatasetSource(labelled.Folder, imageSize, limits: limits, labels: labelled.Labels, metadataLimits: tableLimits,
                dicomWindow: window);
        if (Directory.Exists(trimmed)) return new ImageFolderDatasetSource(trimmed, imageSize, limits: limits, dicomWindow: window);
        if (window is not null) throw WindowNeedsFolder(trimmed);
        var extension = Path.GetExtension(trimmed).ToLowerInvariant();
        if (!File.Exists(trimmed))
            throw new DatasetFormatException(trimmed, extension is ".npz" or ".h5" or ".hdf5" ? "file not found" : $"no such file or folder (expected {SpecHelp})");
        return extension switch
        {
            ".npz" => new NpzDatasetSource(trimmed, limits),
            ".h5" or ".hdf5" => new PatchCamelyonDatasetSource(trimmed, limits),
            _ => throw new DatasetFormatException(trimmed, $"unsupported dataset file type '{extension}' (expected {SpecHelp})"),
        };
    }

    private static DatasetFormatException WindowNeedsFolder(string spec) =>
        new(spec, "a DICOM window (|window=…) applies to a folder of images only");

    /// <summary>Opens <paramref name="spec"/> and loads one split.</summary>
    public static ImageDataset Load(string spec, DatasetSplit split = DatasetSplit.Train, int imageSize = 28, InputLimits? limits = null) =>
        Open(spec, imageSize, limits).Load(split);

    /// <summary>Parses "train", "val"/"validation", "test" or "all" (case-insensitive).</summary>
    public static DatasetSplit ParseSplit(string text) => text.Trim().ToLowerInvariant() switch
    {
        "train" => DatasetSplit.Train,
        "val" or "valid" or "validation" => DatasetSplit.Val,
        "test" => DatasetSplit.Test,
        "all" => DatasetSplit.All,
        _ => throw new ArgumentException($"Unknown split '{text}': use train, val, test or all."),
    };

    private static SyntheticMicroscopyDataset? TryOpenDemo(string spec, int imageSize)
    {
        var lower = spec.ToLowerInvariant();
        var (name, sizeText) = lower.IndexOf(':') is var colon and > 0 ? (lower[..colon], lower[(colon + 1)..]) : (lower, null);
        if (name is not ("demo" or "demo-qc")) return null;
        var size = imageSize;
        if (sizeText is not null && !int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out size))
            throw new DatasetFormatException(spec, "the demo size must be a number of pixels, e.g. demo:64");
        var options = name == "demo-qc" ? SyntheticMicroscopyOptions.QualityControl : new SyntheticMicroscopyOptions();
        try
        {
            return new SyntheticMicroscopyDataset(options with { ImageSize = size });
        }
        catch (ArgumentException e)
        {
            throw new DatasetFormatException(spec, e.Message, e);
        }
    }
}
