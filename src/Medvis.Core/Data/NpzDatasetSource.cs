using System.Buffers;
using System.IO.Compression;
using Medvis.Core.Data.Npy;

namespace Medvis.Core.Data;

/// <summary>
/// A MedMNIST-style .npz file: a zip of <c>{train,val,test}_{images,labels}.npy</c>. Images are uint8 N×H×W
/// (grey) or N×H×W×3 (RGB) and come out as N×C×H×W; labels are any integer type shaped (N,) or (N,1).
/// </summary>
public sealed class NpzDatasetSource(string path) : IDatasetSource
{
    private static readonly DatasetSplit[] StoredSplits = [DatasetSplit.Train, DatasetSplit.Val, DatasetSplit.Test];

    /// <summary>The .npz file this source reads.</summary>
    public string FilePath { get; } = path;

    /// <inheritdoc />
    public string Name => Path.GetFileName(FilePath);

    /// <summary>Reads only array headers and labels, never the pixels.</summary>
    public DatasetSummary Describe()
    {
        using var archive = OpenArchive();
        var splits = PresentSplits(archive);
        var labels = splits.ToDictionary(s => s, s => ReadLabels(archive, s));
        var shapes = splits.ToDictionary(s => s, s => ReadImageShape(archive, s));
        foreach (var split in splits) RequireSameCount(split, shapes[split].Count, labels[split].Length);
        var shape = RequireSameImageShape(shapes);
        var classNames = ClassNames(labels.Values);
        var counts = splits.ToDictionary(s => s, s => CountPerClass(labels[s], classNames.Count));
        return new DatasetSummary(Name, "npz", shape.Channels, shape.Height, shape.Width, classNames, counts);
    }

    /// <inheritdoc />
    public ImageDataset Load(DatasetSplit split)
    {
        using var archive = OpenArchive();
        var present = PresentSplits(archive);
        if (split != DatasetSplit.All && !present.Contains(split))
            throw new DatasetFormatException(FilePath, $"the file has no {SplitPrefix(split)} split (missing {SplitPrefix(split)}_images.npy)");
        var labels = present.ToDictionary(s => s, s => ReadLabels(archive, s));
        var classNames = ClassNames(labels.Values);
        var wanted = split == DatasetSplit.All ? present : [split];
        var shapes = wanted.ToDictionary(s => s, s => ReadImageShape(archive, s));
        foreach (var s in wanted) RequireSameCount(s, shapes[s].Count, labels[s].Length);
        var shape = RequireSameImageShape(shapes);

        // One buffer for all wanted splits: each split is decoded straight into its slice.
        var imageBytes = (long)shape.Channels * shape.Height * shape.Width;
        var totalBytes = wanted.Sum(s => (long)shapes[s].Count) * imageBytes;
        if (totalBytes > Array.MaxLength)
            throw new DatasetFormatException(FilePath, $"{totalBytes / 1e9:F1} GB of pixels are more than one dataset can hold in memory (2 GB); use a smaller image size or a subset");
        var pixels = new byte[totalBytes];
        var offset = 0L;
        foreach (var s in wanted)
        {
            var length = (long)shapes[s].Count * imageBytes;
            ReadImagesInto(archive, s, pixels.AsSpan((int)offset, (int)length));
            offset += length;
        }
        var allLabels = wanted.SelectMany(s => labels[s]).ToArray();
        return new ImageDataset($"{Name} ({SplitPrefix(split)})", pixels, allLabels.Length, shape.Channels, shape.Height,
            shape.Width, allLabels, classNames);
    }

    private ZipArchive OpenArchive()
    {
        if (Directory.Exists(FilePath)) throw new DatasetFormatException(FilePath, "is a folder, not an .npz file");
        if (!File.Exists(FilePath)) throw new DatasetFormatException(FilePath, "file not found");
        var stream = File.OpenRead(FilePath);
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            stream.Dispose();
            throw new DatasetFormatException(FilePath, "not a zip archive (an .npz must be a zip of .npy arrays)", e);
        }
    }

    /// <summary>Splits with an images member; a split with only one of its two members is an error.</summary>
    private List<DatasetSplit> PresentSplits(ZipArchive archive)
    {
        var present = new List<DatasetSplit>();
        foreach (var split in StoredSplits)
        {
            var hasImages = FindMember(archive, $"{SplitPrefix(split)}_images") is not null;
            var hasLabels = FindMember(archive, $"{SplitPrefix(split)}_labels") is not null;
            if (hasImages != hasLabels)
                throw new DatasetFormatException(FilePath,
                    $"missing member {SplitPrefix(split)}_{(hasImages ? "labels" : "images")}.npy");
            if (hasImages) present.Add(split);
        }
        if (present.Count == 0)
            throw new DatasetFormatException(FilePath, "missing member train_images.npy (no train/val/test arrays found)");
        return present;
    }

    private static ZipArchiveEntry? FindMember(ZipArchive archive, string arrayName) =>
        archive.GetEntry(arrayName + ".npy") ?? archive.GetEntry(arrayName);

    private T ReadMember<T>(ZipArchive archive, string arrayName, Func<Stream, NpyHeader, T> read)
    {
        var entry = FindMember(archive, arrayName)
            ?? throw new DatasetFormatException(FilePath, $"missing member {arrayName}.npy");
        try
        {
            using var stream = entry.Open();
            var header = NpyHeader.Read(stream);
            return read(stream, header);
        }
        catch (FormatException e)
        {
            throw new DatasetFormatException(FilePath, $"{arrayName}.npy: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(FilePath, $"{arrayName}.npy: corrupt or truncated zip member ({e.Message})", e);
        }
        catch (OverflowException e)
        {
            throw new DatasetFormatException(FilePath, $"{arrayName}.npy: array too large or value out of range", e);
        }
    }

    private int[] ReadLabels(ZipArchive archive, DatasetSplit split)
    {
        var name = $"{SplitPrefix(split)}_labels";
        var labels = ReadMember(archive, name, (stream, header) =>
        {
            var shape = header.Shape;
            if (!(shape.Length == 1 || (shape.Length == 2 && shape[1] == 1)))
                throw new FormatException($"labels must be shaped (N,) or (N, 1), not {header.ShapeText} (multi-label sets are not supported)");
            return NpyReader.ReadIntegers(stream, header);
        });
        var negative = Array.FindIndex(labels, l => l < 0);
        if (negative >= 0) throw new DatasetFormatException(FilePath, $"{name}.npy: negative label {labels[negative]} at row {negative}");
        return labels;
    }

    private ImageShape ReadImageShape(ZipArchive archive, DatasetSplit split) =>
        ReadMember(archive, $"{SplitPrefix(split)}_images", (_, header) => ImageShapeOf(header));

    /// <summary>Decodes one split's pixels into <paramref name="destination"/> (N×C×H×W).</summary>
    private void ReadImagesInto(ZipArchive archive, DatasetSplit split, Span<byte> destination)
    {
        var name = $"{SplitPrefix(split)}_images";
        var entry = FindMember(archive, name) ?? throw new DatasetFormatException(FilePath, $"missing member {name}.npy");
        try
        {
            using var stream = entry.Open();
            var shape = ImageShapeOf(NpyHeader.Read(stream));
            if (shape.Channels == 1)
            {
                ReadExactly(stream, destination);
                return;
            }
            var interleaved = ArrayPool<byte>.Shared.Rent(destination.Length);
            try
            {
                ReadExactly(stream, interleaved.AsSpan(0, destination.Length));
                InterleavedToPlanar(interleaved, destination, shape);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(interleaved);
            }
        }
        catch (FormatException e)
        {
            throw new DatasetFormatException(FilePath, $"{name}.npy: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(FilePath, $"{name}.npy: corrupt or truncated zip member ({e.Message})", e);
        }
    }

    private static void ReadExactly(Stream stream, Span<byte> destination)
    {
        if (!NpyHeader.TryReadExactly(stream, destination))
            throw new FormatException($"truncated data: expected {destination.Length} pixel bytes");
    }

    private static ImageShape ImageShapeOf(NpyHeader header)
    {
        if (header.Kind != 'u' || header.ElementSize != 1)
            throw new FormatException($"images must be uint8, not '{header.Descr}'");
        if (header.FortranOrder)
            throw new FormatException("Fortran-ordered arrays are not supported (save with fortran_order=False)");
        var s = header.Shape;
        return s.Length switch
        {
            3 when s[1] > 0 && s[2] > 0 => new ImageShape(checked((int)s[0]), 1, checked((int)s[1]), checked((int)s[2])),
            4 when s[3] is 1 or 3 && s[1] > 0 && s[2] > 0 => new ImageShape(checked((int)s[0]), (int)s[3], checked((int)s[1]), checked((int)s[2])),
            _ => throw new FormatException($"images must be shaped N×H×W or N×H×W×3, not {header.ShapeText}"),
        };
    }

    /// <summary>N×H×W×C (as numpy stores RGB images) to N×C×H×W.</summary>
    // Optimised even in Debug builds: this loop dominates loading time of large files.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void InterleavedToPlanar(byte[] interleaved, Span<byte> planar, ImageShape shape)
    {
        var plane = shape.Height * shape.Width;
        var imageBytes = plane * shape.Channels;
        var channels = shape.Channels;
        for (var n = 0; n < shape.Count; n++)
        {
            var offset = n * imageBytes;
            for (var c = 0; c < channels; c++)
            {
                var target = planar.Slice(offset + c * plane, plane);
                var source = interleaved.AsSpan(offset + c);
                for (var p = 0; p < target.Length; p++)
                    target[p] = source[p * channels];
            }
        }
    }

    private void RequireSameCount(DatasetSplit split, int images, int labels)
    {
        if (images != labels)
            throw new DatasetFormatException(FilePath, $"{SplitPrefix(split)}_images.npy has {images} images but {SplitPrefix(split)}_labels.npy has {labels} labels");
    }

    private ImageShape RequireSameImageShape(IReadOnlyDictionary<DatasetSplit, ImageShape> shapes)
    {
        var first = shapes.Values.First();
        foreach (var (split, shape) in shapes)
            if (shape.Channels != first.Channels || shape.Height != first.Height || shape.Width != first.Width)
                throw new DatasetFormatException(FilePath, $"{SplitPrefix(split)}_images.npy has {shape.Describe()} images, other splits {first.Describe()}");
        return first;
    }

    private IReadOnlyList<string> ClassNames(IEnumerable<int[]> labelsPerSplit)
    {
        var classCount = labelsPerSplit.Select(l => l.Length == 0 ? 0 : l.Max() + 1).DefaultIfEmpty(0).Max();
        return MedMnistClassNames.ForFileOrGeneric(FilePath, Math.Max(classCount, 1));
    }

    private static int[] CountPerClass(int[] labels, int classCount)
    {
        var counts = new int[classCount];
        foreach (var label in labels) counts[label]++;
        return counts;
    }

    private static string SplitPrefix(DatasetSplit split) => split.ToString().ToLowerInvariant();

    private sealed record ImageShape(int Count, int Channels, int Height, int Width)
    {
        public string Describe() => $"{Height}×{Width}×{Channels}";
    }

}
