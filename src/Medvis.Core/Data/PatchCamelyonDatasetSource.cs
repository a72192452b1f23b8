using PureHDF;
using PureHDF.VOL.Native;

namespace Medvis.Core.Data;

/// <summary>
/// PatchCamelyon (PCam) HDF5 files, read with PureHDF: <c>camelyonpatch_level_2_split_{train,valid,test}_x.h5</c> hold
/// the patches as uint8 N×H×W×3 in dataset <c>x</c>, the matching <c>_y.h5</c> files the labels (N×1×1×1) in
/// dataset <c>y</c>. The source is named by one <c>_x.h5</c> file; its sibling split files are found by name, so
/// train, val and test work as for an npz. A file that holds both <c>x</c> and <c>y</c> also works (one split, train).
/// Dataset shapes are checked against <see cref="Limits"/>, and the memory of a load estimated, before any data is read.
/// </summary>
/// <param name="path">The <c>_x.h5</c> file.</param>
/// <param name="limits">Input limits; <see cref="InputLimits.Default"/> when null.</param>
public sealed class PatchCamelyonDatasetSource(string path, InputLimits? limits = null) : IDatasetSource
{
    /// <summary>PCam's two classes: label 1 means the centre 32×32 region holds tumour tissue.</summary>
    public static readonly IReadOnlyList<string> PCamClassNames = ["normal", "tumour"];

    private const string ImagesName = "x";
    private const string LabelsName = "y";

    private static readonly (DatasetSplit Split, string Token)[] SplitTokens =
        [(DatasetSplit.Train, "train"), (DatasetSplit.Val, "valid"), (DatasetSplit.Test, "test")];

    /// <summary>The <c>.h5</c> file the user named.</summary>
    public string FilePath { get; } = path;

    /// <summary>The limits every dataset in the files is checked against.</summary>
    public InputLimits Limits { get; } = (limits ?? InputLimits.Default).Validate();

    /// <inheritdoc />
    public string Name => Path.GetFileName(FilePath);

    /// <summary>Reads shapes and labels, never the pixels.</summary>
    public DatasetSummary Describe()
    {
        var files = SplitFiles();
        var counts = new Dictionary<DatasetSplit, int[]>();
        (int Channels, int Height, int Width)? shape = null;
        foreach (var (split, imagesFile) in files)
        {
            var (count, splitShape) = ReadImageShape(imagesFile);
            var labels = ReadLabels(imagesFile, count);
            shape = RequireSameShape(shape, splitShape, imagesFile);
            counts[split] = CountPerClass(labels);
        }
        var (channels, height, width) = shape!.Value;
        return new DatasetSummary(Name, "PatchCamelyon h5", channels, height, width, PCamClassNames, counts);
    }

    /// <inheritdoc />
    public ImageDataset Load(DatasetSplit split)
    {
        var files = SplitFiles();
        if (split != DatasetSplit.All && !files.ContainsKey(split))
            throw new DatasetFormatException(FilePath, $"no {Token(split)} split next to it (expected {SiblingPath(split)})");
        var wanted = split == DatasetSplit.All ? files.Keys.Order().ToArray() : [split];

        var shapes = wanted.ToDictionary(s => s, s => ReadImageShape(files[s]));
        (int Channels, int Height, int Width)? shape = null;
        foreach (var s in wanted) shape = RequireSameShape(shape, shapes[s].Shape, files[s]);
        var (channels, height, width) = shape!.Value;
        var imageBytes = (long)channels * height * width;
        var imageCount = wanted.Sum(s => (long)shapes[s].Count);
        Limits.RequireImageCount(FilePath, imageCount);
        var totalBytes = imageCount * imageBytes;
        // The HDF5 reader returns each split whole before it is reordered into the dataset's buffer.
        var largestSplit = wanted.Max(s => shapes[s].Count * imageBytes);
        Limits.RequireLoadMemory(FilePath, $"the {(split == DatasetSplit.All ? "all" : Token(split))} split ({imageCount} images of {height}×{width}×{channels})",
            totalBytes + largestSplit + imageCount * 2 * sizeof(int));
        if (totalBytes > Array.MaxLength)
            throw new DatasetFormatException(FilePath, $"{totalBytes / 1e9:F1} GB of pixels are more than one dataset can hold in memory (2 GB); load the valid or test split");

        var pixels = new byte[totalBytes];
        var labels = new List<int>();
        var offset = 0L;
        foreach (var s in wanted)
        {
            var count = shapes[s].Count;
            var length = count * imageBytes;
            ReadImagesInto(files[s], count, shape.Value, pixels.AsSpan((int)offset, (int)length));
            labels.AddRange(ReadLabels(files[s], count));
            offset += length;
        }
        return new ImageDataset($"{Name} ({(split == DatasetSplit.All ? "all" : Token(split))})", pixels, labels.Count,
            channels, height, width, labels.ToArray(), PCamClassNames);
    }

    /// <summary>Split → its images file: the named file and its siblings by PCam's naming, or the named file alone.</summary>
    private Dictionary<DatasetSplit, string> SplitFiles()
    {
        if (!File.Exists(FilePath)) throw new DatasetFormatException(FilePath, "file not found");
        var named = NamedSplit();
        if (named is null) return new() { [DatasetSplit.Train] = FilePath };
        return SplitTokens.Select(t => (t.Split, File: SiblingPath(t.Split)))
            .Where(t => File.Exists(t.File))
            .ToDictionary(t => t.Split, t => t.File);
    }

    /// <summary>The split the file name states ("…_split_valid_x.h5" → val), or null when it follows no PCam naming.</summary>
    private DatasetSplit? NamedSplit()
    {
        var name = Path.GetFileName(FilePath).ToLowerInvariant();
        foreach (var (split, token) in SplitTokens)
            if (name.Contains($"_{token}_x.h5", StringComparison.Ordinal)) return split;
        return null;
    }

    private string SiblingPath(DatasetSplit split)
    {
        var named = NamedSplit() ?? DatasetSplit.Train;
        var name = Path.GetFileName(FilePath);
        var at = name.LastIndexOf($"_{Token(named)}_", StringComparison.OrdinalIgnoreCase);
        var sibling = at < 0 ? name : name[..at] + $"_{Token(split)}_" + name[(at + Token(named).Length + 2)..];
        return Path.Combine(Path.GetDirectoryName(FilePath) ?? ".", sibling);
    }

    private static string Token(DatasetSplit split) => SplitTokens.First(t => t.Split == split).Token;

    /// <summary>Where the labels of an images file live: its own <c>y</c>, else the <c>_y.h5</c> sibling.</summary>
    private static string LabelsFile(string imagesFile)
    {
        using (var file = OpenHdf5(imagesFile))
            if (file.LinkExists(LabelsName)) return imagesFile;
        var name = Path.GetFileName(imagesFile);
        var at = name.LastIndexOf("_x.h5", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
            throw new DatasetFormatException(imagesFile, $"no '{LabelsName}' dataset in the file and no PCam-style '_x.h5' name to find a labels file by");
        var labelsFile = Path.Combine(Path.GetDirectoryName(imagesFile) ?? ".", name[..at] + "_y.h5" + name[(at + 5)..]);
        if (!File.Exists(labelsFile)) throw new DatasetFormatException(imagesFile, $"labels file {labelsFile} not found");
        return labelsFile;
    }

    /// <summary>The image count and shape of <c>x</c>, checked against the limits (no product can overflow past them).</summary>
    private (int Count, (int Channels, int Height, int Width) Shape) ReadImageShape(string imagesFile)
    {
        using var file = OpenHdf5(imagesFile);
        var images = RequireDataset(file, ImagesName, imagesFile);
        RequireBytes(images, imagesFile, ImagesName);
        var dims = Dimensions(images, imagesFile, ImagesName);
        var channels = dims.Length switch
        {
            3 => 1,
            4 when dims[3] is 1 or 3 => (int)dims[3],
            _ => throw new DatasetFormatException(imagesFile, $"'{ImagesName}' has shape ({string.Join(", ", dims)}); expected N×H×W or N×H×W×3"),
        };
        Limits.RequireImagePixels(imagesFile, dims[2], dims[1], $"'{ImagesName}'");
        Limits.RequireImageCount(imagesFile, dims[0]);
        return ((int)dims[0], (channels, (int)dims[1], (int)dims[2]));
    }

    /// <summary>The product of <paramref name="dims"/>, saturating at <see cref="long.MaxValue"/> instead of overflowing.</summary>
    private static long SaturatingProduct(long[] dims)
    {
        var product = 1L;
        foreach (var d in dims) product = d != 0 && product > long.MaxValue / d ? long.MaxValue : product * d;
        return product;
    }

    /// <summary>A dataset's dimensions as signed numbers; one beyond <see cref="long.MaxValue"/> is refused.</summary>
    private static long[] Dimensions(IH5Dataset dataset, string path, string name)
    {
        try
        {
            return dataset.Space.Dimensions.Select(d => checked((long)d)).ToArray();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DatasetFormatException(path, $"'{name}' has an unreadable shape ({e.Message})", e);
        }
    }

    /// <summary>Reads N×H×W×C bytes and writes them as N×C×H×W into <paramref name="target"/>.</summary>
    private static void ReadImagesInto(string imagesFile, int count, (int Channels, int Height, int Width) shape, Span<byte> target)
    {
        using var file = OpenHdf5(imagesFile);
        var stored = Read(RequireDataset(file, ImagesName, imagesFile), imagesFile, ImagesName);
        var (channels, height, width) = shape;
        var plane = height * width;
        if (channels == 1)
        {
            stored.AsSpan(0, target.Length).CopyTo(target);
            return;
        }
        var imageBytes = channels * plane;
        for (var n = 0; n < count; n++)
        {
            var source = stored.AsSpan(n * imageBytes, imageBytes);
            var destination = target.Slice(n * imageBytes, imageBytes);
            for (var p = 0; p < plane; p++)
                for (var c = 0; c < channels; c++)
                    destination[c * plane + p] = source[p * channels + c];
        }
    }

    private int[] ReadLabels(string imagesFile, int imageCount)
    {
        var labelsFile = LabelsFile(imagesFile);
        using var file = OpenHdf5(labelsFile);
        var dataset = RequireDataset(file, LabelsName, labelsFile);
        // Compared before reading, so a labels dataset claiming billions of rows is never allocated.
        var declared = SaturatingProduct(Dimensions(dataset, labelsFile, LabelsName));
        if (declared != imageCount)
            throw new DatasetFormatException(labelsFile, $"{declared} labels for {imageCount} images in {Path.GetFileName(imagesFile)}");
        var stored = Read(dataset, labelsFile, LabelsName);
        if (stored.Length != imageCount)
            throw new DatasetFormatException(labelsFile, $"{stored.Length} labels for {imageCount} images in {Path.GetFileName(imagesFile)}");
        var labels = new int[stored.Length];
        for (var i = 0; i < stored.Length; i++)
        {
            if (stored[i] > 1) throw new DatasetFormatException(labelsFile, $"label {stored[i]} at row {i}; PCam labels are 0 or 1");
            labels[i] = stored[i];
        }
        return labels;
    }

    private static int[] CountPerClass(int[] labels)
    {
        var counts = new int[PCamClassNames.Count];
        foreach (var label in labels) counts[label]++;
        return counts;
    }

    private (int Channels, int Height, int Width) RequireSameShape(
        (int Channels, int Height, int Width)? seen, (int Channels, int Height, int Width) next, string file) =>
        seen is null || seen == next
            ? next
            : throw new DatasetFormatException(file, $"images are {next.Channels}×{next.Height}×{next.Width} but {Name}'s other splits are {seen.Value.Channels}×{seen.Value.Height}×{seen.Value.Width}");

    private static NativeFile OpenHdf5(string path)
    {
        try
        {
            return H5File.OpenRead(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DatasetFormatException(path, $"not a readable HDF5 file ({e.Message})", e);
        }
    }

    private static IH5Dataset RequireDataset(NativeFile file, string name, string path)
    {
        if (!file.LinkExists(name)) throw new DatasetFormatException(path, $"no '{name}' dataset in the file");
        try
        {
            return file.Dataset(name);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DatasetFormatException(path, $"'{name}' is not a readable dataset ({e.Message})", e);
        }
    }

    private static void RequireBytes(IH5Dataset dataset, string path, string name)
    {
        if (dataset.Type.Size != 1)
            throw new DatasetFormatException(path, $"'{name}' holds {dataset.Type.Size}-byte {dataset.Type.Class} values; expected uint8");
    }

    private static byte[] Read(IH5Dataset dataset, string path, string name)
    {
        RequireBytes(dataset, path, name);
        try
        {
            return dataset.Read<byte[]>();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DatasetFormatException(path, $"'{name}' could not be read ({e.Message})", e);
        }
    }
}
