using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Medvis.Core.Data;
using Medvis.Core.Storage;
using Medvis.Web.Auth;
using Microsoft.Extensions.Options;

namespace Medvis.Web.Datasets;

/// <summary>
/// Members' dataset uploads: an <c>.npz</c>, or a <c>.zip</c> of class folders, written into a fresh folder below
/// <see cref="MedvisOptions.UploadFolder"/> (a data root of its own) and then registered like any dataset. The bytes
/// are counted while they arrive, so an upload over <see cref="InputLimits.MaxUploadBytes"/> stops there; a zip is
/// checked entry by entry before it is unpacked (<see cref="ZipDatasetExtractor"/>). The disk keeps
/// <see cref="FreeSpaceRule.MinFreeMegabytes"/> free: the upload is checked against it as it arrives (every
/// <see cref="RoomCheckBytes"/>) and a zip's unpacked size before it is unpacked. A refused upload leaves nothing behind.
/// </summary>
public sealed partial class DatasetUploads(
    DatasetService datasets, InputLimits limits, IOptions<MedvisOptions> options, FreeSpaceRule freeSpace, ILogger<DatasetUploads> logger,
    IStorageVolume? volume = null)
{
    private const int MaxNameLength = 100;
    /// <summary>How much of an upload may arrive between two checks of the free space.</summary>
    public const int RoomCheckBytes = 8 << 20;

    /// <summary>Where uploads go (absolute).</summary>
    public string Folder => options.Value.UploadFolderPath;

    /// <summary>Stores and registers an uploaded dataset for a member.</summary>
    /// <param name="caller">Who uploads; members and admins may.</param>
    /// <param name="fileName">The uploaded file's name; only its last segment is used, and it must end in .npz or .zip.</param>
    /// <param name="content">The upload, read once up to the size limit.</param>
    /// <param name="imageSize">The side the images are resized to (image folders).</param>
    /// <param name="cancellation">Stops reading the upload.</param>
    /// <exception cref="AccessDeniedException">The caller may not upload.</exception>
    public async Task<RegistrationResult> UploadAsync(Caller caller, string fileName, Stream content, int imageSize = 28,
        CancellationToken cancellation = default)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanUploadDatasets(caller), caller, "upload datasets");
        ArgumentNullException.ThrowIfNull(content);
        if (Folder.Length == 0) return new(null, "Uploads are off on this server (Medvis:UploadFolder is empty).");
        if (SafeName(fileName) is not { } name)
            return new(null, $"'{Path.GetFileName(fileName ?? "")}' is not an upload name Medvis takes: use letters, digits, '.', '-' or '_' and end it in .npz or .zip.");
        var folder = Path.Combine(Folder, $"{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(folder);
        var room = new FreeSpaceGuard(folder, freeSpace, volume);
        try
        {
            var received = Path.Combine(folder, name);
            await ReceiveAsync(content, received, name, room, cancellation);
            var spec = received;
            if (Path.GetExtension(name).Equals(".zip", StringComparison.OrdinalIgnoreCase))
            {
                room.EnsureRoom(Math.Min(UnpackedBytes(received), limits.MaxUploadBytes), $"the unpacked images of {name}");
                spec = Path.Combine(folder, Path.GetFileNameWithoutExtension(name));
                Directory.CreateDirectory(spec);
                ZipDatasetExtractor.Extract(received, spec, name, limits);
                File.Delete(received);
            }
            var result = datasets.RegisterUpload(caller, spec, imageSize);
            if (!result.Succeeded) Remove(folder);
            return result.Succeeded ? result : result with { Error = result.Error?.Replace(folder + Path.DirectorySeparatorChar, "", StringComparison.Ordinal) };
        }
        catch (DatasetFormatException e)
        {
            Remove(folder);
            return new(null, $"{name}: {e.Problem}");
        }
        catch (IOException e) when (e is StorageFullException || IsDiskFull(e))
        {
            Remove(folder);
            logger.LogWarning("Upload {Name} refused: {Reason}", name, e.Message);
            return new(null, $"{name}: {e.Message.ReplaceLineEndings(" ").Replace(folder, "the upload folder", StringComparison.Ordinal)}");
        }
        catch
        {
            Remove(folder);
            throw;
        }
    }

    // Counts while copying: a client that sends more than it announced (or announces nothing) is stopped at the limit,
    // and the disk is checked for room for the next part before it arrives.
    private async Task ReceiveAsync(Stream content, string path, string name, FreeSpaceGuard room, CancellationToken cancellation)
    {
        await using var output = File.Create(path);
        var buffer = new byte[81920];
        long total = 0;
        long checkedUpTo = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellation)) > 0)
        {
            total += read;
            if (total > checkedUpTo)
            {
                room.EnsureRoom(RoomCheckBytes, $"the upload {name}");
                checkedUpTo = total + RoomCheckBytes;
            }
            if (total > limits.MaxUploadBytes)
                throw new DatasetFormatException(name, $"the upload is over the limit of {limits.MaxUploadBytes} bytes ({InputLimits.HowToRaise(nameof(InputLimits.MaxUploadBytes))})");
            await output.WriteAsync(buffer.AsMemory(0, read), cancellation);
        }
        if (total == 0) throw new DatasetFormatException(name, "the upload is empty");
    }

    // What the zip's entries declare (the extractor stops any entry that inflates past its declared size, and refuses
    // a total over the upload limit); 0 for a file that is no zip, which the extractor reports.
    private static long UnpackedBytes(string zipPath)
    {
        try
        {
            using var zip = ZipFile.OpenRead(zipPath);
            return zip.Entries.Sum(e => e.Length);
        }
        catch (InvalidDataException) { return 0; }
    }

    // ENOSPC (28) and EDQUOT (122) on Linux, ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.
    private static bool IsDiskFull(IOException e) => (e.HResult & 0xFFFF) is 28 or 122 or 39 or 112;

    private void Remove(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { logger.LogWarning(e, "Could not remove the refused upload {Folder}", folder); }
    }

    /// <summary>The last segment of <paramref name="fileName"/> when it is a plain .npz or .zip name, else null.</summary>
    public static string? SafeName(string? fileName)
    {
        var name = Path.GetFileName((fileName ?? "").Replace('\\', '/'));
        return name.Length is > 4 and <= MaxNameLength && PlainName().IsMatch(name) && !name.StartsWith('.') ? name : null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]+\.(npz|zip)$", RegexOptions.IgnoreCase)]
    private static partial Regex PlainName();
}
