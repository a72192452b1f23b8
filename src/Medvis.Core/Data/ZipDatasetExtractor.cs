using System.IO.Compression;

namespace Medvis.Core.Data;

/// <summary>
/// Unpacks an uploaded zip of class folders (<c>class/image.png</c>, optionally inside one top folder) into an empty
/// folder, after checking every entry before anything is written: no absolute, parent-relative, drive or backslash
/// names (zip-slip), no links, at most <see cref="InputLimits.MaxImages"/> images, declared sizes within
/// <see cref="InputLimits.MaxUploadBytes"/> in all and <see cref="InputLimits.MaxImageFileBytes"/> each, and
/// compression ratios within <see cref="InputLimits.MaxCompressionRatio"/>. Writing counts the bytes actually
/// inflated too, so sizes a hostile archive understates cannot get past the limits. Only image files are written;
/// system clutter (<c>__MACOSX/</c>, dot files) is skipped.
/// </summary>
public static class ZipDatasetExtractor
{
    // Entries (folders and clutter included) read beyond the image limit before giving up on the listing.
    private const int ExtraEntries = 10_000;

    /// <summary>Checks and unpacks <paramref name="zipPath"/> into <paramref name="target"/>; returns how many images were written.</summary>
    /// <param name="zipPath">The uploaded archive.</param>
    /// <param name="target">An empty folder; the class folders land directly in it.</param>
    /// <param name="displayName">The name errors show for the archive (the uploaded file's name).</param>
    /// <param name="limits">The input limits.</param>
    /// <exception cref="DatasetFormatException">A refused entry or archive, in one line.</exception>
    public static int Extract(string zipPath, string target, string displayName, InputLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        using var archive = OpenArchive(zipPath, displayName);
        var images = Plan(archive, displayName, limits);
        var root = Path.GetFullPath(target);
        long written = 0;
        foreach (var (entry, relative) in images)
        {
            var destination = Path.GetFullPath(Path.Combine(root, relative));
            // Plan already refused such names; this is the last line of defence against zip-slip.
            if (!DataRoots.IsWithin(destination, root) || destination == root)
                throw new DatasetFormatException(displayName, $"entry '{entry.FullName}' would land outside the upload folder");
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            written += Inflate(entry, destination, displayName, limits, limits.MaxUploadBytes - written);
        }
        return images.Count;
    }

    private static ZipArchive OpenArchive(string zipPath, string displayName)
    {
        try { return ZipFile.OpenRead(zipPath); }
        catch (InvalidDataException e) { throw new DatasetFormatException(displayName, $"not a readable zip archive ({e.Message})", e); }
    }

    /// <summary>The image entries and where each goes, after every check that needs no decompression.</summary>
    private static List<(ZipArchiveEntry Entry, string Relative)> Plan(ZipArchive archive, string displayName, InputLimits limits)
    {
        var entries = archive.Entries;
        if (entries.Count > (long)limits.MaxImages + ExtraEntries)
            throw InputLimits.Exceeded(displayName, $"{entries.Count} entries", limits.MaxImages, "images", nameof(InputLimits.MaxImages));
        var files = new List<(ZipArchiveEntry Entry, string[] Segments)>();
        foreach (var entry in entries)
        {
            var segments = SafeSegments(entry, displayName);
            if (IsDirectory(entry) || IsClutter(segments) || !ImageDecoding.Extensions.Contains(Path.GetExtension(segments[^1]))) continue;
            if (IsLink(entry)) throw new DatasetFormatException(displayName, $"entry '{entry.FullName}' is a symbolic link");
            files.Add((entry, segments));
        }
        if (files.Count == 0) throw new DatasetFormatException(displayName, "the archive holds no images (expected class folders of PNG, JPEG, TIFF, BMP, GIF or WebP files)");
        limits.RequireImageCount(displayName, files.Count);
        RequireSizes(files.Select(f => f.Entry), displayName, limits);
        var strip = CommonTopFolder(files.Select(f => f.Segments).ToList());
        return files.Select(f =>
        {
            var rest = f.Segments[strip..];
            if (rest.Length != 2)
                throw new DatasetFormatException(displayName, $"entry '{f.Entry.FullName}' is not in a class folder (expected class/image, optionally inside one top folder)");
            return (f.Entry, Path.Combine(rest));
        }).ToList();
    }

    // Every segment must be a plain name: no "", ".", "..", drive letters, backslashes or control characters.
    private static string[] SafeSegments(ZipArchiveEntry entry, string displayName)
    {
        var name = entry.FullName;
        if (name.Length == 0 || name.StartsWith('/') || name.Contains('\\') || name.Contains(':') || name.Any(char.IsControl))
            throw new DatasetFormatException(displayName, $"entry '{Printable(name)}' has an unsafe name");
        var segments = name.TrimEnd('/').Split('/');
        if (segments.Any(s => s is "" or "." or ".."))
            throw new DatasetFormatException(displayName, $"entry '{Printable(name)}' has an unsafe name");
        return segments;
    }

    private static void RequireSizes(IEnumerable<ZipArchiveEntry> files, string displayName, InputLimits limits)
    {
        long total = 0;
        foreach (var entry in files)
        {
            if (entry.Length > limits.MaxImageFileBytes)
                throw InputLimits.Exceeded(displayName, $"entry '{entry.FullName}' of {entry.Length} bytes", limits.MaxImageFileBytes, "bytes", nameof(InputLimits.MaxImageFileBytes));
            if (entry.Length > limits.CompressionRatioFreeBytes && entry.Length > (long)limits.MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
                throw InputLimits.Exceeded(displayName, $"entry '{entry.FullName}' expanding {entry.Length / Math.Max(1, entry.CompressedLength)}×",
                    limits.MaxCompressionRatio, "× compression", nameof(InputLimits.MaxCompressionRatio));
            total += entry.Length;
            if (total > limits.MaxUploadBytes)
                throw InputLimits.Exceeded(displayName, $"the unpacked archive of more than {total} bytes", limits.MaxUploadBytes, "bytes", nameof(InputLimits.MaxUploadBytes));
        }
    }

    // Writes one entry, stopping as soon as it inflates past what its header declared or what the upload has left.
    private static long Inflate(ZipArchiveEntry entry, string destination, string displayName, InputLimits limits, long remaining)
    {
        var allowed = Math.Min(Math.Min(entry.Length, limits.MaxImageFileBytes), remaining);
        using var input = entry.Open();
        using var output = File.Create(destination);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
        {
            total += read;
            if (total > allowed)
                throw new DatasetFormatException(displayName, $"entry '{entry.FullName}' inflates past its declared {entry.Length} bytes or the upload limit ({InputLimits.HowToRaise(nameof(InputLimits.MaxUploadBytes))})");
            output.Write(buffer, 0, read);
        }
        return total;
    }

    /// <summary>1 when every file sits below the same single top folder that is not itself a class folder, else 0.</summary>
    private static int CommonTopFolder(List<string[]> files) =>
        files.All(s => s.Length == 3) && files.Select(s => s[0]).Distinct(StringComparer.Ordinal).Count() == 1 ? 1 : 0;

    private static bool IsDirectory(ZipArchiveEntry entry) => entry.FullName.EndsWith('/');

    private static bool IsClutter(string[] segments) => segments.Any(s => s.StartsWith('.') || s == "__MACOSX");

    // Unix zips keep the file mode in the high 16 bits of the external attributes; 0xA000 is a symbolic link.
    private static bool IsLink(ZipArchiveEntry entry) => ((entry.ExternalAttributes >> 16) & 0xF000) == 0xA000;

    private static string Printable(string name) => new(name.Select(c => char.IsControl(c) ? '?' : c).Take(200).ToArray());
}
