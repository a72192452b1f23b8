using System.Collections.Concurrent;

namespace Medvis.Web.Training;

/// <summary>Cancellation of runs that are training right now.</summary>
public sealed class RunCancellations
{
    private readonly ConcurrentDictionary<int, CancellationTokenSource> _active = new();

    /// <summary>A token for a run that starts now; cancelled by <see cref="Cancel"/> or by <paramref name="shutdown"/>.</summary>
    internal CancellationTokenSource Begin(int runId, CancellationToken shutdown)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        _active[runId] = source;
        return source;
    }

    internal void End(int runId)
    {
        if (_active.TryRemove(runId, out var source)) source.Dispose();
    }

    /// <summary>Asks a training run to stop; false when it is not training.</summary>
    public bool Cancel(int runId)
    {
        if (!_active.TryGetValue(runId, out var source)) return false;
        try { source.Cancel(); } catch (ObjectDisposedException) { return false; }
        return true;
    }
}
