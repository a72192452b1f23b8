namespace Medvis.Core.Storage;

/// <summary>
/// The file system under a store: its free space and how its files are opened. A seam so tests can give the
/// LiteDB store a disk that fills up.
/// </summary>
public interface IStorageVolume
{
    /// <summary>The bytes an unprivileged writer may still use on the volume of <paramref name="folder"/>; null when unknown.</summary>
    long? FreeBytes(string folder);

    /// <summary>Opens (or creates) a file for reading and writing; other processes may only read it meanwhile.</summary>
    Stream OpenFile(string path);
}

/// <summary>The local file system.</summary>
public sealed class LocalVolume : IStorageVolume
{
    /// <summary>The one instance (it has no state).</summary>
    public static LocalVolume Instance { get; } = new();

    /// <inheritdoc />
    public long? FreeBytes(string folder)
    {
        try { return new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace; }
        // A folder that is gone or a file system that cannot report: let the write itself decide.
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { return null; }
    }

    /// <inheritdoc />
    // Unbuffered: LiteDB reads and writes whole pages, and nothing can be left in a buffer when the file is closed.
    public Stream OpenFile(string path) =>
        new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0, FileOptions.RandomAccess);
}
