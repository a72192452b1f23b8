using System.Globalization;

namespace Medvis.Core.Storage;

/// <summary>
/// How much free space a store's volume keeps beyond a large write (a checkpoint, a snapshot, a run's artifacts, an
/// upload): a write that would leave less is refused before it starts, so the disk never fills up under the store
/// and the message that ends a run (a small write) still finds room.
/// </summary>
/// <param name="MinFreeMegabytes">Megabytes that must stay free after the write.</param>
public sealed record FreeSpaceRule(int MinFreeMegabytes)
{
    /// <summary>The configuration key that sets <see cref="MinFreeMegabytes"/>.</summary>
    public const string Setting = "Medvis:Storage:MinFreeMegabytes";
    /// <summary>Enough for the message that fails a run, the log of a few epochs and LiteDB's own page copies.</summary>
    public const int DefaultMinFreeMegabytes = 256;
    /// <summary>The largest accepted value (1 TiB).</summary>
    public const int MaxMinFreeMegabytes = 1 << 20;

    /// <summary>The rule with <see cref="DefaultMinFreeMegabytes"/>.</summary>
    public static FreeSpaceRule Default { get; } = new(DefaultMinFreeMegabytes);

    /// <summary>The headroom in bytes.</summary>
    public long MinFreeBytes => (long)MinFreeMegabytes << 20;

    /// <summary>Why the value cannot be used, or null when it can.</summary>
    public string? Problem() => MinFreeMegabytes is >= 0 and <= MaxMinFreeMegabytes
        ? null
        : $"{Setting} must be between 0 and {MaxMinFreeMegabytes}";
}

/// <summary>A write was refused (or failed) because the volume under the store has no room for it.</summary>
public sealed class StorageFullException(string message) : IOException(message);

/// <summary>
/// Checks the free space of one folder's volume before a large write, against the write plus
/// <see cref="FreeSpaceRule.MinFreeMegabytes"/>.
/// </summary>
/// <param name="folder">A folder on the volume to check (the store's folder, the upload folder).</param>
/// <param name="rule">The headroom to keep.</param>
/// <param name="volume">Reads the free space; the local file system when null.</param>
public sealed class FreeSpaceGuard(string folder, FreeSpaceRule rule, IStorageVolume? volume = null)
{
    private readonly IStorageVolume _volume = volume ?? LocalVolume.Instance;

    /// <summary>The folder whose volume is checked.</summary>
    public string Folder { get; } = folder;

    /// <summary>The bytes free on the folder's volume, or null when the volume cannot tell.</summary>
    public long? FreeBytes() => _volume.FreeBytes(Folder);

    /// <summary>Throws when writing <paramref name="bytes"/> would leave less than the headroom free.</summary>
    /// <param name="bytes">What the write adds to the volume at most.</param>
    /// <param name="what">What is written, for the message ("the checkpoint").</param>
    /// <exception cref="StorageFullException">Not enough room; the message names the free space, the limit and the setting.</exception>
    public void EnsureRoom(long bytes, string what)
    {
        if (_volume.FreeBytes(Folder) is not { } free) return; // a volume that cannot tell is not refused
        var needed = Math.Max(0, bytes) + rule.MinFreeBytes;
        if (free >= needed) return;
        throw new StorageFullException(
            $"not enough free space to store {what} ({Megabytes(bytes)}): {Megabytes(free)} free on the volume of {Folder}, " +
            $"and {FreeSpaceRule.Setting} keeps {rule.MinFreeMegabytes.ToString(CultureInfo.InvariantCulture)} MB free; free some space (or lower the setting) and try again");
    }

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.0} MB");
}
