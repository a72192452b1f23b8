using Medvis.Core.Data.Dicom;
using Medvis.Core.Data.LabelTables;
using Medvis.Core.Data.Metadata;

namespace Medvis.Core.Data;

/// <summary>
/// A folder of class folders, <c>root/&lt;class&gt;/*.png|jpg|jpeg|tif|tiff|bmp|dcm</c> (DICOM files also without an
/// extension, see <see cref="DicomFiles"/>). Images are centre-cropped to a
/// square and resized to <see cref="ImageSize"/>; they are stored grey when every image is grey, else RGB.
/// A folder has no predefined splits: <see cref="DatasetSplit.Train"/> and <see cref="DatasetSplit.All"/> both
/// hold every image, asking for val or test is an error. Class and file counts, file sizes, each image's header
/// size and the memory of the whole load are checked against <see cref="Limits"/> before anything is decoded.
/// With a label table the folder is instead any tree of images, flat or nested, and each image's class is its row's
/// label (see <see cref="LabelTableMatch"/>): images without a row or a label are left out and named in
/// <see cref="DatasetSummary.Notes"/>, and a group column becomes <see cref="ImageDataset.Groups"/>.
/// </summary>
/// <param name="root">The folder whose sub-folders are the classes (class names: folder names, sorted).</param>
/// <param name="imageSize">Side of the square images produced, in pixels.</param>
/// <param name="skipUndecodable">Leave out files that cannot be decoded (listed in <see cref="SkippedFiles"/>) instead of failing.</param>
/// <param name="limits">Input limits; <see cref="InputLimits.Default"/> when null.</param>
/// <param name="labels">The table the classes come from; null for class folders.</param>
/// <param name="metadataLimits">Limits on the label table; <see cref="MetadataLimits.Default"/> when null.</param>
/// <param name="dicomWindow">How grey DICOM images are windowed; each file's own window when null.</param>
public sealed class ImageFolderDatasetSource(string root, int imageSize = 28, bool skipUndecodable = false, InputLimits? limits = null,
    LabelTableSpec? labels = null, MetadataLimits? metadataLimits = null, DicomWindow? dicomWindow = null)
    : IDatasetSource
{
    /// <summary>Folder levels a labelled folder is searched to; deeper ones are not read.</summary>
    public const int MaxFolderDepth = 32;

    private readonly List<string> _skipped = [];
    private readonly MetadataLimits _metadataLimits = (metadataLimits ?? MetadataLimits.Default).Validate();
    private LabelTableMatch? _match;

    /// <summary>The table the classes come from, or null for class folders.</summary>
    public LabelTableSpec? Labels { get; } = labels?.Validate();

    /// <summary>How grey DICOM images are windowed.</summary>
    public DicomWindow DicomWindow { get; } = dicomWindow ?? DicomWindow.FromFile;

    /// <summary>The limits every file is checked against.</summary>
    public InputLimits Limits { get; } = (limits ?? InputLimits.Default).Validate();

    /// <summary>The folder this source reads.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Side of the square images produced.</summary>
    public int ImageSize { get; } = imageSize is >= 1 and <= 4096
        ? imageSize
        : throw new ArgumentOutOfRangeException(nameof(imageSize), $"image size {imageSize} must be between 1 and 4096");

    /// <inheritdoc />
    public string Name => Path.GetFileName(Root.TrimEnd(Path.DirectorySeparatorChar));

    /// <summary>Files left out by the last <see cref="Load"/> because they could not be decoded (with <c>skipUndecodable</c>).</summary>
    public IReadOnlyList<string> SkippedFiles => _skipped;

    /// <summary>Counts files per class folder without decoding them; the channel count is read from the first image.</summary>
    public DatasetSummary Describe()
    {
        var classes = ListClasses();
        var counts = classes.Select(c => c.Files.Count).ToArray();
        var first = classes.SelectMany(c => c.Files).First();
        var channels = ImageDecoding.IsGrey(DecodeFile(first, 3)) ? 1 : 3;
        return new DatasetSummary(Name, "folder", channels, ImageSize, ImageSize, classes.Select(c => c.Name).ToArray(),
            new Dictionary<DatasetSplit, int[]> { [DatasetSplit.Train] = counts }, _match?.SummaryLines());
    }

    /// <summary>
    /// The label table's other columns (all but the key and the label; the group included) as the dataset's
    /// metadata, keyed by file name, for the labelled images in image index order; null for class folders.
    /// </summary>
    public DatasetMetadata? TableMetadata()
    {
        if (Labels is null) return null;
        var classes = ListClasses();
        var match = _match!;
        var rowOfPath = match.Labelled.ToDictionary(l => l.File, l => l.Row);
        var allFiles = AllImageFiles();
        var fileIndex = allFiles.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i, StringComparer.Ordinal);
        var rows = classes.SelectMany(c => c.Files).Select(f => rowOfPath[fileIndex[f]]).ToArray();
        var images = Enumerable.Range(0, rows.Length).ToArray();
        return MetadataCsv.Build(match.Table, match.KeyColumn, "file name", rows, images, rows.Length,
            new HashSet<int> { match.LabelColumn }, _metadataLimits);
    }

    /// <summary>
    /// The dataset's metadata from its own files: a label table's other columns (<see cref="TableMetadata"/>) and the
    /// DICOM attributes of <see cref="DicomMetadata"/> (those a table already has left out); null when there are neither.
    /// </summary>
    public DatasetMetadata? Metadata()
    {
        var table = TableMetadata();
        var tags = DicomMetadata();
        if (table is not { Columns.Count: > 0 }) return tags ?? table;
        if (tags is null) return table;
        table.Columns.AddRange(tags.Columns.Where(c => table.Column(c.Name) is null));
        return table;
    }

    /// <summary>
    /// The attributes of <see cref="DicomTags"/> of the folder's DICOM files as metadata keyed by file name, in image
    /// index order; attributes no file has are left out, and so are files whose header cannot be read (loading names
    /// them). Only the start of each file is read where it holds the whole header. Null when no file is DICOM.
    /// </summary>
    public DatasetMetadata? DicomMetadata()
    {
        var files = ListClasses().SelectMany(c => c.Files).ToList();
        var tags = new string[]?[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => tags[i] = ReadDicomTags(files[i]));
        var images = Enumerable.Range(0, files.Count).Where(i => tags[i] is not null).ToArray();
        if (images.Length == 0) return null;
        var present = Enumerable.Range(0, DicomTags.Columns.Count).Where(c => images.Any(i => tags[i]![c].Length > 0)).ToArray();
        if (present.Length == 0) return null;
        var header = new[] { "file" }.Concat(present.Select(c => DicomTags.Columns[c].Column)).ToArray();
        var rows = images.Select((i, r) => new CsvRow([Relative(files[i]), .. present.Select(c => tags[i]![c])], r + 2)).ToList();
        var metadata = MetadataCsv.Build(new CsvTable("DICOM tags", header, rows), 0, "file name", Enumerable.Range(0, rows.Count).ToList(),
            images, files.Count, new HashSet<int>(), _metadataLimits);
        metadata.FileName = "DICOM tags";
        return metadata;
    }

    /// <summary>The <see cref="DicomTags"/> values of a DICOM file, or null for other files and unreadable headers.</summary>
    private string[]? ReadDicomTags(string file)
    {
        if (!DicomFiles.MayBeDicom(file)) return null;
        try
        {
            var (head, whole) = ReadHead(file, DicomHeaderProbeBytes);
            if (!DicomParser.LooksLikeDicom(head)) return null;
            try
            {
                return DicomTags.Read(DicomParser.Parse(head, Limits, file, headerOnly: true));
            }
            catch (FormatException) when (!whole)
            {
                // The header is longer than the probe (or the data set is deflated): read the whole file.
                return DicomTags.Read(DicomParser.Parse(ReadImageFile(file), Limits, file, headerOnly: true));
            }
        }
        catch (Exception e) when (e is FormatException or DatasetFormatException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Bytes read from the start of a DICOM file in the hope that its header ends within them.</summary>
    private const int DicomHeaderProbeBytes = 64 << 10;

    /// <summary>The first <paramref name="count"/> bytes of a file (fewer when it is shorter), and whether that is all of it.</summary>
    private static (byte[] Head, bool Whole) ReadHead(string file, int count)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var head = new byte[(int)Math.Min(count, stream.Length)];
        stream.ReadExactly(head);
        return (head, head.Length == stream.Length);
    }

    /// <summary>
    /// Each image's path below <see cref="Root"/> ("class/name.png", forward slashes), in image index order: what
    /// metadata rows may name instead of an index.
    /// </summary>
    public IReadOnlyList<string> FileNames() =>
        ListClasses().SelectMany(c => c.Files).Select(f => Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/')).ToList();

    /// <inheritdoc />
    public ImageDataset Load(DatasetSplit split)
    {
        if (split is DatasetSplit.Val or DatasetSplit.Test)
            throw new DatasetFormatException(Root, $"an image folder has no {split.ToString().ToLowerInvariant()} split (use train or all)");
        var classes = ListClasses();
        var files = classes.SelectMany((c, label) => c.Files.Select(f => (File: f, Label: label))).ToArray();
        var parallelism = DecodeParallelism(files.Length);
        var decoded = new byte[]?[files.Length];
        var errors = new DatasetFormatException?[files.Length];
        Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism },
            i => (decoded[i], errors[i]) = TryDecode(files[i].File));
        if (!skipUndecodable && Unreadable(errors) is { } error) throw error;

        _skipped.Clear();
        _skipped.AddRange(files.Where((_, i) => decoded[i] is null).Select(f => f.File));
        var kept = Enumerable.Range(0, files.Length).Where(i => decoded[i] is not null).ToArray();
        if (kept.Length == 0) throw new DatasetFormatException(Root, "none of the images could be decoded");

        var grey = kept.All(i => ImageDecoding.IsGrey(decoded[i]));
        var channels = grey ? 1 : 3;
        var imageBytes = channels * ImageSize * ImageSize;
        var pixels = new byte[(long)kept.Length * imageBytes];
        for (var k = 0; k < kept.Length; k++)
            decoded[kept[k]].AsSpan(0, imageBytes).CopyTo(pixels.AsSpan(k * imageBytes, imageBytes));
        var labels = kept.Select(i => files[i].Label).ToArray();
        var groups = _match is { GroupColumn: >= 0 } match
            ? new ImageGroups(match.Table.Header[match.GroupColumn], classes.SelectMany(c => c.Groups!).ToArray()).Subset(kept)
            : null;
        return new ImageDataset(Name, pixels, kept.Length, channels, ImageSize, ImageSize, labels,
            classes.Select(c => c.Name).ToArray(), kept, groups);
    }

    /// <summary>
    /// The refusal of a load with unreadable files, in one line: the first in file order (so the message does not
    /// depend on thread timing) with its problem, then how many more there are and the first few of their names.
    /// </summary>
    private DatasetFormatException? Unreadable(IReadOnlyList<DatasetFormatException?> errors)
    {
        var bad = errors.OfType<DatasetFormatException>().ToList();
        if (bad.Count <= 1) return bad.FirstOrDefault();
        var others = string.Join(", ", bad.Skip(1).Take(3).Select(e => Relative(e.Path))) + (bad.Count > 4 ? ", …" : "");
        return new DatasetFormatException(bad[0].Path, $"{bad[0].Problem} (and {bad.Count - 1} more files that cannot be read: {others})", bad[0]);
    }

    /// <summary>
    /// How many images may be decoded at once: the load's memory (every decoded square, kept as RGB, plus the final
    /// buffer) must fit <see cref="InputLimits.MaxLoadBytes"/>, and so must, on top, one decode of the largest image
    /// allowed per thread. At least one thread, at most one per core.
    /// </summary>
    private int DecodeParallelism(int fileCount)
    {
        var datasetBytes = (long)fileCount * 6 * ImageSize * ImageSize;
        var perDecode = Limits.MaxImagePixels * ImageDecoding.DecodeBytesPerPixel;
        Limits.RequireLoadMemory(Root, $"decoding {fileCount} images to {ImageSize}×{ImageSize}", datasetBytes + perDecode);
        return (int)Math.Clamp((Limits.MaxLoadBytes - datasetBytes) / perDecode, 1, Environment.ProcessorCount);
    }

    /// <summary>Decoded RGB planes, or the error naming the file.</summary>
    private (byte[]? Pixels, DatasetFormatException? Error) TryDecode(string file)
    {
        try
        {
            return (DecodeFile(file, 3), null);
        }
        catch (DatasetFormatException e)
        {
            return (null, e);
        }
    }

    private byte[] DecodeFile(string file, int channels)
    {
        try
        {
            return ImageDecoding.DecodeSquare(ReadImageFile(file), ImageSize, channels, Limits, file, DicomWindow);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new DatasetFormatException(file, $"cannot decode image: {e.Message}", e);
        }
    }

    /// <summary>
    /// The file's bytes, at most <see cref="InputLimits.MaxImageFileBytes"/>; exactly as many as the file's size
    /// says, so a link to a device that never ends (/dev/zero) reads as empty rather than forever.
    /// </summary>
    private byte[] ReadImageFile(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var length = stream.Length;
        if (length > Limits.MaxImageFileBytes)
            throw InputLimits.Exceeded(file, $"an image file of {length} bytes", Limits.MaxImageFileBytes, "bytes",
                nameof(InputLimits.MaxImageFileBytes));
        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>A class and its files, with a group id per file when a label table names a group column.</summary>
    private sealed record ClassFolder(string Name, IReadOnlyList<string> Files, IReadOnlyList<int>? Groups = null);

    private List<ClassFolder> ListClasses()
    {
        if (Labels is not null) return LabelledClasses(Labels);
        if (File.Exists(Root)) throw new DatasetFormatException(Root, "is a file, not a folder of class folders");
        if (!Directory.Exists(Root)) throw new DatasetFormatException(Root, "folder not found");
        var folders = Directory.EnumerateDirectories(Root)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .Take(Limits.MaxClasses + 1)
            .Order(StringComparer.Ordinal)
            .ToList();
        var classes = new List<ClassFolder>();
        var files = 0;
        foreach (var folder in folders)
        {
            var images = ImageFiles(folder, Limits.MaxImages - files);
            if (images.Count == 0) continue;
            files += images.Count;
            classes.Add(new ClassFolder(Path.GetFileName(folder), images));
        }
        if (classes.Count > Limits.MaxClasses)
            throw InputLimits.Exceeded(Root, $"more than {Limits.MaxClasses} class folders", Limits.MaxClasses, "classes", nameof(InputLimits.MaxClasses));
        if (classes.Count == 0)
            throw new DatasetFormatException(Root, "no class folders with images (expected root/<class>/*.png|jpg|jpeg|tif|tiff|bmp|dcm)");
        return classes;
    }

    /// <summary>The folder's image files, sorted; refuses more than <paramref name="allowed"/> without listing them all.</summary>
    private List<string> ImageFiles(string folder, int allowed)
    {
        var files = Directory.EnumerateFiles(folder)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && (ImageDecoding.Extensions.Contains(Path.GetExtension(f)) || DicomFiles.IsUnnamedDicom(f)))
            .Take(allowed + 1)
            .ToList();
        if (files.Count > allowed)
            throw InputLimits.Exceeded(Root, $"more than {Limits.MaxImages} images", Limits.MaxImages, "images", nameof(InputLimits.MaxImages));
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>
    /// The classes a label table gives the folder's images, in <see cref="LabelTableMatch.ClassNames"/> order and
    /// file order within each; images of one group share an id, an image with an empty group gets one of its own.
    /// </summary>
    private List<ClassFolder> LabelledClasses(LabelTableSpec labels)
    {
        var files = AllImageFiles();
        if (files.Count == 0) throw new DatasetFormatException(Root, "no images in the folder or below it (*.png|jpg|jpeg|tif|tiff|bmp|gif|webp|dcm)");
        var match = LabelTableMatch.Build(MetadataCsv.ReadTableFile(labels.CsvPath, _metadataLimits), labels,
            files.Select(Relative).ToList());
        var classNames = match.ClassNames();
        if (classNames.Count > Limits.MaxClasses)
            throw InputLimits.Exceeded(labels.CsvPath, $"{classNames.Count} labels", Limits.MaxClasses, "classes", nameof(InputLimits.MaxClasses));
        var classOf = classNames.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var groupIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var members = classNames.Select(_ => (Files: new List<string>(), Groups: new List<int>())).ToArray();
        foreach (var image in match.Labelled)
        {
            var group = image.Group is { } g
                ? groupIds.TryGetValue(g, out var id) ? id : groupIds[g] = groupIds.Count
                : groupIds[$"\0{image.File}"] = groupIds.Count;
            var target = members[classOf[image.Label]];
            target.Files.Add(files[image.File]);
            target.Groups.Add(group);
        }
        _match = match;
        return classNames.Select((name, c) => new ClassFolder(name, members[c].Files, members[c].Groups)).ToList();
    }

    /// <summary>
    /// Every image file in the folder and below it, sorted by path; hidden entries and linked folders (which could
    /// loop) are skipped, folders below <see cref="MaxFolderDepth"/> levels are not read, and more than
    /// <see cref="InputLimits.MaxImages"/> files are refused without listing them all.
    /// </summary>
    private List<string> AllImageFiles()
    {
        if (File.Exists(Root)) throw new DatasetFormatException(Root, "is a file, not a folder of images");
        if (!Directory.Exists(Root)) throw new DatasetFormatException(Root, "folder not found");
        var files = new List<string>();
        var pending = new Stack<(string Folder, int Depth)>([(Root, 0)]);
        while (pending.Count > 0)
        {
            var (folder, depth) = pending.Pop();
            files.AddRange(ImageFiles(folder, Limits.MaxImages - files.Count));
            if (depth == MaxFolderDepth) continue;
            foreach (var sub in Directory.EnumerateDirectories(folder))
                if (!Path.GetFileName(sub).StartsWith('.') && new DirectoryInfo(sub).LinkTarget is null) pending.Push((sub, depth + 1));
        }
        files.Sort((a, b) => string.CompareOrdinal(Relative(a), Relative(b)));
        return files;
    }

    private string Relative(string file) => Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/');
}
