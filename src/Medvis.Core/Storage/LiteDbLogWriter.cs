using System.Reflection;
using LiteDB.Engine;

namespace Medvis.Core.Storage;

/// <summary>
/// Waits until LiteDB's background writer has put every page a commit queued into the log file. LiteDB 5.0.x returns
/// from a commit once its pages are queued, so a commit it acknowledged can still be lost when the disk fills up
/// before the writer gets to it; waiting makes a write that returns a write that reached the file (the operating
/// system's cache: a full disk refuses the write then), and a write whose pages could not be written fails.
/// LiteDB offers no call for this; the queue's "empty" signal is reached by reflection on the pinned version
/// (5.0.20: <c>LiteEngine._disk.Queue.Value._queueIsEmpty</c>). Where it cannot be found the wait is skipped.
/// </summary>
public sealed class LiteDbLogWriter
{
    private static readonly TimeSpan Longest = TimeSpan.FromMinutes(1);
    private readonly LiteEngine _engine;
    private ManualResetEventSlim? _empty;
    private bool _unavailable;

    /// <summary>The writer of <paramref name="engine"/>.</summary>
    public LiteDbLogWriter(LiteEngine engine) => _engine = engine;

    /// <summary>Whether the writer's signal was found (false: LiteDB changed, and writes are not waited for).</summary>
    public bool CanWait => !_unavailable;

    /// <summary>Blocks until the writer's queue is empty (at most a minute); returns at once when nothing was ever queued.</summary>
    public void WaitUntilWritten()
    {
        var empty = _empty ??= Find();
        empty?.Wait(Longest);
    }

    private ManualResetEventSlim? Find()
    {
        if (_unavailable) return null;
        const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
        var disk = typeof(LiteEngine).GetField("_disk", Private)?.GetValue(_engine);
        var lazy = disk?.GetType().GetProperty("Queue")?.GetValue(disk);
        if (lazy is null)
        {
            _unavailable = true;
            return null;
        }
        // The writer exists from the first write on; until then there is nothing to wait for.
        if (lazy.GetType().GetProperty("IsValueCreated")?.GetValue(lazy) is not true) return null;
        var queue = lazy.GetType().GetProperty("Value")?.GetValue(lazy);
        var empty = queue?.GetType().GetField("_queueIsEmpty", Private)?.GetValue(queue) as ManualResetEventSlim;
        _unavailable = empty is null;
        return empty;
    }
}
