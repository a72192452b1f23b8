using System.Buffers.Binary;

namespace Medvis.Core.Storage;

/// <summary>How much of a run's training the replay keeps.</summary>
/// <param name="MaxSnapshots">
/// Snapshots kept per run (setting <c>Medvis:ReplaySnapshots</c>, <c>medvis worker --replay-snapshots</c>); beyond it
/// the history is thinned evenly (<see cref="SnapshotThinning"/>), so a 500-epoch stage 3 costs as much as a 50-epoch
/// one. At the default 1,000 points a snapshot takes about 16 KB.
/// </param>
public sealed record ReplaySettings(int MaxSnapshots = ReplaySettings.DefaultMaxSnapshots)
{
    /// <summary>The default bound: enough frames for a smooth replay of a few seconds.</summary>
    public const int DefaultMaxSnapshots = 60;

    /// <summary>The smallest bound allowed: the first and the last snapshot.</summary>
    public const int MinMaxSnapshots = 2;

    /// <summary>The largest bound allowed.</summary>
    public const int MaxMaxSnapshots = 1000;

    /// <summary>The default settings.</summary>
    public static ReplaySettings Default { get; } = new();

    /// <summary>A one-line problem with the bound, or null when it is fine.</summary>
    public string? Problem() => MaxSnapshots is < MinMaxSnapshots or > MaxMaxSnapshots
        ? $"the replay keeps between {MinMaxSnapshots} and {MaxMaxSnapshots} snapshots per run, not {MaxSnapshots}"
        : null;
}

/// <summary>
/// Keeps a growing series of snapshots within a bound while covering the whole run evenly: it always keeps the first
/// and the newest, and drops the inner snapshot whose neighbours lie closest together (the one whose loss leaves the
/// smallest gap), earliest first on ties. Adding one snapshot at a time to a full history drops exactly one.
/// </summary>
public static class SnapshotThinning
{
    /// <summary>The global epochs to drop from <paramref name="epochs"/> (ascending, distinct) so that at most <paramref name="max"/> remain.</summary>
    /// <exception cref="ArgumentException">A bound below 2, or epochs not strictly ascending.</exception>
    public static IReadOnlyList<int> ToDrop(IReadOnlyList<int> epochs, int max)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        if (max < ReplaySettings.MinMaxSnapshots) throw new ArgumentException($"A snapshot history keeps at least {ReplaySettings.MinMaxSnapshots} snapshots, not {max}.");
        for (var i = 1; i < epochs.Count; i++)
            if (epochs[i] <= epochs[i - 1]) throw new ArgumentException("Snapshot epochs must be strictly ascending.");
        var kept = epochs.ToList();
        var dropped = new List<int>();
        while (kept.Count > max)
        {
            var best = 1;
            for (var i = 2; i < kept.Count - 1; i++)
                if (kept[i + 1] - kept[i - 1] < kept[best + 1] - kept[best - 1]) best = i;
            dropped.Add(kept[best]);
            kept.RemoveAt(best);
        }
        return dropped;
    }
}

/// <summary>
/// A snapshot as one compact blob, the same in every store: a version byte, stage, epoch, global epoch and point
/// count, then indices, labels, x and y as little-endian 32-bit values (16 bytes a point, a third of BSON or JSON).
/// </summary>
public static class SnapshotCodec
{
    private const byte Version = 1;
    private const int HeaderBytes = 1 + 4 * 4;

    /// <summary>The blob of <paramref name="snapshot"/>.</summary>
    /// <exception cref="ArgumentException">Arrays of different lengths.</exception>
    public static byte[] Encode(SnapshotPoint snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var n = snapshot.X.Length;
        if (snapshot.Y.Length != n || snapshot.Labels.Length != n || snapshot.Indices.Length != n)
            throw new ArgumentException($"A snapshot needs as many indices, labels and y as x ({n}).");
        var bytes = new byte[HeaderBytes + 16 * n];
        var span = bytes.AsSpan();
        span[0] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(span[1..], snapshot.Stage);
        BinaryPrimitives.WriteInt32LittleEndian(span[5..], snapshot.Epoch);
        BinaryPrimitives.WriteInt32LittleEndian(span[9..], snapshot.GlobalEpoch);
        BinaryPrimitives.WriteInt32LittleEndian(span[13..], n);
        var offset = HeaderBytes;
        foreach (var value in snapshot.Indices) { BinaryPrimitives.WriteInt32LittleEndian(span[offset..], value); offset += 4; }
        foreach (var value in snapshot.Labels) { BinaryPrimitives.WriteInt32LittleEndian(span[offset..], value); offset += 4; }
        foreach (var value in snapshot.X) { BinaryPrimitives.WriteSingleLittleEndian(span[offset..], value); offset += 4; }
        foreach (var value in snapshot.Y) { BinaryPrimitives.WriteSingleLittleEndian(span[offset..], value); offset += 4; }
        return bytes;
    }

    /// <summary>The snapshot a blob holds.</summary>
    /// <exception cref="InvalidDataException">Not a snapshot blob of this version, or truncated.</exception>
    public static SnapshotPoint Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < HeaderBytes || bytes[0] != Version) throw new InvalidDataException("A stored snapshot is not in a format this Medvis reads.");
        var span = bytes.AsSpan();
        var n = BinaryPrimitives.ReadInt32LittleEndian(span[13..]);
        if (n < 0 || bytes.Length != HeaderBytes + 16L * n) throw new InvalidDataException("A stored snapshot is truncated.");
        var snapshot = new SnapshotPoint
        {
            Stage = BinaryPrimitives.ReadInt32LittleEndian(span[1..]),
            Epoch = BinaryPrimitives.ReadInt32LittleEndian(span[5..]),
            GlobalEpoch = BinaryPrimitives.ReadInt32LittleEndian(span[9..]),
            Indices = new int[n], Labels = new int[n], X = new float[n], Y = new float[n],
        };
        var offset = HeaderBytes;
        for (var i = 0; i < n; i++, offset += 4) snapshot.Indices[i] = BinaryPrimitives.ReadInt32LittleEndian(span[offset..]);
        for (var i = 0; i < n; i++, offset += 4) snapshot.Labels[i] = BinaryPrimitives.ReadInt32LittleEndian(span[offset..]);
        for (var i = 0; i < n; i++, offset += 4) snapshot.X[i] = BinaryPrimitives.ReadSingleLittleEndian(span[offset..]);
        for (var i = 0; i < n; i++, offset += 4) snapshot.Y[i] = BinaryPrimitives.ReadSingleLittleEndian(span[offset..]);
        return snapshot;
    }
}
