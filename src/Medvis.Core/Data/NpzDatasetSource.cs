using System.IO.Compression;
using Medvis.Core.Data.Npy;

namespace Medvis.Core.Data;

/// <summary>
/// A MedMNIST-style .npz file: a zip of <c>{train,val,test}_{images,labels}.npy</c>. Images are uint8 N×H×W
/// (grey) or N×H×W×3 (RGB) and come out as N×C×H×W; labels are any integer type shaped (N,) or (N,1).
/// Sizes claimed by the zip and the array headers are checked against <see cref="Limits"/> before anything is
/// allocated, and no member yields more bytes than its zip entry declares.
/// </summary>
/// <param name="path">The .npz file.</param>
/// <param name="limits">Input limits; <see cref="InputLimits.Default"/> when null.</param>
public sealed class NpzDatasetSource(string path, InputLimits? limits = null) : IDatasetSource
{
    private static readonly DatasetSplit[] StoredSplits = [DatasetSplit.Train, DatasetSplit.Val, DatasetSplit.Test];

    /// <summary>RGB images are converted from interleaved to planar through a buffer of about this many bytes.</summary>
    private const int ConversionBufferBytes = 4 << 20;

    /// <summary>The .npz file this source reads.</summary>
    public string FilePath { get; } = path;

    /// <summary>The limits every member is checked against.</summary>
    public InputLimits Limits { get; } = (limits ?? InputLimits.Default).Validate();

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
        var count = wanted.Sum(s => (long)shapes[s].Count);
        Limits.RequireImageCount(FilePath, count);
        var imageBytes = (long)shape.Channels * shape.Height * shape.Width;
        var totalBytes = count * imageBytes;
        Limits.RequireLoadMemory(FilePath, $"the {SplitPrefix(split)} split ({count} images of {shape.Describe()})",
            totalBytes + count * sizeof(int) + (shape.Channels == 1 ? 0 : ConversionBufferBytes + imageBytes));
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
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException)
        {
            stream.Dispose();
            throw new DatasetFormatException(FilePath, $"not a zip archive (an .npz must be a zip of .npy arrays): {e.Message}", e);
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

    /// <summary>
    /// Opens a member after checking what its zip entry claims: compressed bytes that fit in the file, and a
    /// decompressed size within <see cref="InputLimits.MaxCompressionRatio"/>. The stream yields no more than the
    /// declared size, and the array header must need no more than that.
    /// </summary>
    private (BoundedReadStream Stream, NpyHeader Header) OpenMember(ZipArchiveEntry entry, string arrayName)
    {
        var fileBytes = new FileInfo(FilePath).Length;
        if (entry.CompressedLength > fileBytes || entry.Length < 0)
            throw new InvalidDataException($"the zip entry claims {entry.CompressedLength} compressed bytes in a file of {fileBytes}");
        if (entry.Length > Limits.CompressionRatioFreeBytes && entry.Length > entry.CompressedLength * Limits.MaxCompressionRatio)
            throw InputLimits.Exceeded(FilePath,
                $"{arrayName}.npy: compression ratio {entry.Length / Math.Max(1, entry.CompressedLength)} ({entry.Length} bytes from {entry.CompressedLength})",
                Limits.MaxCompressionRatio, "", nameof(InputLimits.MaxCompressionRatio));
        var stream = new BoundedReadStream(entry.Open(), entry.Length, "the member holds more data than its zip entry declares");
        try
        {
            var header = NpyHeader.Read(stream);
            if (header.DataBytes > stream.Remaining)
                throw new FormatException($"truncated data: shape {header.ShapeText} of '{header.Descr}' needs {header.DataBytes} bytes but the member holds {stream.Remaining}");
            return (stream, header);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens member <paramref name="arrayName"/> and runs <paramref name="read"/>, turning format errors into ones naming the file and member.</summary>
    private T ReadMember<T>(ZipArchive archive, string arrayName, Func<BoundedReadStream, NpyHeader, T> read)
    {
        var entry = RequireMember(archive, arrayName);
        try
        {
            var (stream, header) = OpenMember(entry, arrayName);
            using (stream) return read(stream, header);
        }
        catch (Exception e) when (MemberError(arrayName, e) is { } error)
        {
            throw error;
        }
    }

    private ZipArchiveEntry RequireMember(ZipArchive archive, string arrayName) =>
        FindMember(archive, arrayName) ?? throw new DatasetFormatException(FilePath, $"missing member {arrayName}.npy");

    /// <summary>The one-line error naming the file and member for a failure while reading it; null for other exceptions.</summary>
    private DatasetFormatException? MemberError(string arrayName, Exception e) => e switch
    {
        FormatException => new DatasetFormatException(FilePath, $"{arrayName}.npy: {e.Message}", e),
        InvalidDataException => new DatasetFormatException(FilePath, $"{arrayName}.npy: corrupt or truncated zip member ({e.Message})", e),
        OverflowException or NotSupportedException or IOException => new DatasetFormatException(FilePath, $"{arrayName}.npy: unreadable member ({e.Message})", e),
        _ => null,
    };

    private int[] ReadLabels(ZipArchive archive, DatasetSplit split)
    {
        var name = $"{SplitPrefix(split)}_labels";
        return ReadMember(archive, name, (stream, header) =>
        {
            var shape = header.Shape;
            if (!(shape.Length == 1 || (shape.Length == 2 && shape[1] == 1)))
                throw new FormatException($"labels must be shaped (N,) or (N, 1), not {header.ShapeText} (multi-label sets are not supported)");
            Limits.RequireImageCount(FilePath, shape[0]);
            return NpyReader.ReadIntegers(stream, header, Limits.MaxClasses, (label, row) => label < 0
                ? new DatasetFormatException(FilePath, $"{name}.npy: negative label {label} at row {row}")
                : InputLimits.Exceeded(FilePath, $"{name}.npy: label {label} at row {row}", Limits.MaxClasses,
                    "classes", nameof(InputLimits.MaxClasses)));
        });
    }

    private ImageShape ReadImageShape(ZipArchive archive, DatasetSplit split) =>
        ReadMember(archive, $"{SplitPrefix(split)}_images", (_, header) => ImageShapeOf(header, $"{SplitPrefix(split)}_images.npy"));

    /// <summary>Decodes one split's pixels into <paramref name="destination"/> (N×C×H×W).</summary>
    private void ReadImagesInto(ZipArchive archive, DatasetSplit split, Span<byte> destination)
    {
        var name = $"{SplitPrefix(split)}_images";
        var entry = RequireMember(archive, name);
        try
        {
            var (stream, header) = OpenMember(entry, name);
            using (stream)
            {
                var shape = ImageShapeOf(header, name + ".npy");
                if (shape.Channels == 1) ReadExactly(stream, destination);
                else ReadPlanar(stream, shape, destination);
            }
        }
        catch (Exception e) when (MemberError(name, e) is { } error)
        {
            throw error;
        }
    }

    /// <summary>Reads N×H×W×C images a few at a time and writes them as N×C×H×W.</summary>
    private static void ReadPlanar(Stream stream, ImageShape shape, Span<byte> destination)
    {
        var imageBytes = shape.Channels * shape.Height * shape.Width;
        var perChunk = Math.Max(1, ConversionBufferBytes / imageBytes);
        var interleaved = new byte[Math.Min(perChunk, Math.Max(1, shape.Count)) * imageBytes];
        for (var first = 0; first < shape.Count; first += perChunk)
        {
            var images = Math.Min(perChunk, shape.Count - first);
            var chunk = interleaved.AsSpan(0, images * imageBytes);
            ReadExactly(stream, chunk);
            InterleavedToPlanar(chunk, destination.Slice(first * imageBytes, chunk.Length), shape with { Count = images });
        }
    }

    private static void ReadExactly(Stream stream, Span<byte> destination)
    {
        if (!NpyHeader.TryReadExactly(stream, destination))
            throw new FormatException($"truncated data: expected {destination.Length} pixel bytes");
    }

    /// <summary>The image shape a header states, checked against the limits (its products were checked for overflow when the member was opened).</summary>
    private ImageShape ImageShapeOf(NpyHeader header, string member)
    {
        if (header.Kind != 'u' || header.ElementSize != 1)
            throw new FormatException($"images must be uint8, not '{header.Descr}'");
        if (header.FortranOrder)
            throw new FormatException("Fortran-ordered arrays are not supported (save with fortran_order=False)");
        var s = header.Shape;
        var channels = s.Length switch
        {
            3 => 1L,
            4 when s[3] is 1 or 3 => s[3],
            _ => throw new FormatException($"images must be shaped N×H×W or N×H×W×3, not {header.ShapeText}"),
        };
        Limits.RequireImagePixels(FilePath, s[2], s[1], member);
        Limits.RequireImageCount(FilePath, s[0]);
        return new ImageShape((int)s[0], (int)channels, (int)s[1], (int)s[2]);
    }

    /// <summary>N×H×W×C (as numpy stores RGB images) to N×C×H×W.</summary>
    // Optimised even in Debug builds: this loop dominates loading time of large files.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void InterleavedToPlanar(ReadOnlySpan<byte> interleaved, Span<byte> planar, ImageShape shape)
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
                var source = interleaved[(offset + c)..];
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
