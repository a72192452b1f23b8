namespace Medvis.Web.Training;

/// <summary>
/// The updates waiting for one subscriber, at most <see cref="Capacity"/> of them, so a slow browser holds a bounded
/// amount of memory. When full, the oldest step update is dropped first (a newer one says more), then the oldest
/// other update; status changes are never dropped (there are a few per run, and a page must learn how a run ended).
/// </summary>
public sealed class SubscriberQueue(int capacity)
{
    private readonly LinkedList<RunUpdate> _items = new();
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _available = new(0);

    /// <summary>How many updates may wait before older ones are dropped.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>Updates dropped so far because the subscriber fell behind.</summary>
    public int Dropped { get; private set; }

    /// <summary>Updates waiting now.</summary>
    public int Count { get { lock (_lock) return _items.Count; } }

    /// <summary>Adds an update, dropping an older one when full; never waits.</summary>
    public void Add(RunUpdate update)
    {
        lock (_lock)
        {
            if (_items.Count >= Capacity && DropOldest()) Dropped++;
            _items.AddLast(update);
        }
        _available.Release();
    }

    /// <summary>The oldest waiting update, once there is one.</summary>
    public async Task<RunUpdate> TakeAsync(CancellationToken cancellation)
    {
        while (true)
        {
            // The semaphore may count updates that were dropped since: then there is nothing to take yet.
            await _available.WaitAsync(cancellation);
            lock (_lock)
            {
                if (_items.First is not { } first) continue;
                _items.RemoveFirst();
                return first.Value;
            }
        }
    }

    private bool DropOldest()
    {
        var victim = Oldest(u => u is RunStepUpdate) ?? Oldest(u => u is not RunStatusUpdate);
        if (victim is null) return false;
        _items.Remove(victim);
        return true;
    }

    private LinkedListNode<RunUpdate>? Oldest(Func<RunUpdate, bool> droppable)
    {
        for (var node = _items.First; node is not null; node = node.Next)
            if (droppable(node.Value)) return node;
        return null;
    }
}
