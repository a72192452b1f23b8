namespace Medvis.Core.Storage;

/// <summary>
/// How the LiteDB store makes a large write (a checkpoint, a run's artifact, a snapshot): the volume must have room
/// for it plus the headroom, and its calls run on one engine, so a write that fails half-way (the disk filled up
/// meanwhile) fails as a whole.
/// </summary>
/// <param name="room">Checks the free space.</param>
/// <param name="engine">The engine whose calls the write makes.</param>
public sealed class LiteDbLargeWrites(FreeSpaceGuard room, RecoveringLiteEngine engine)
{
    /// <summary>Checks for room for <paramref name="bytes"/>, then runs <paramref name="write"/> on one engine.</summary>
    /// <param name="bytes">The bytes written.</param>
    /// <param name="what">What is written, for the message ("the checkpoint of run 3").</param>
    /// <param name="write">The write.</param>
    /// <exception cref="StorageFullException">No room; nothing was written.</exception>
    /// <exception cref="IOException">The write failed.</exception>
    public void Run(long bytes, string what, Action write)
    {
        // LiteDB writes each page twice (its log, then the data file at the next checkpoint) before the log is cleared.
        room.EnsureRoom(2 * bytes, what);
        engine.OnOneEngine(write);
    }
}
