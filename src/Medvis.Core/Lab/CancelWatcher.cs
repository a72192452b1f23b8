using Medvis.Core.Storage;

namespace Medvis.Core.Lab;

/// <summary>
/// Polls a run's cancel flag in the store and cancels a token when a user set it: how a cancel from the web app
/// reaches a worker on another machine within one poll interval.
/// </summary>
public sealed class CancelWatcher : IDisposable
{
    private readonly Timer _timer;
    private readonly IMedvisStore _store;
    private readonly int _runId;
    private readonly CancellationTokenSource _target;

    /// <summary>Starts polling at once and then every <paramref name="interval"/>.</summary>
    public CancelWatcher(IMedvisStore store, int runId, CancellationTokenSource target, TimeSpan interval)
    {
        _store = store;
        _runId = runId;
        _target = target;
        _timer = new Timer(_ => Poll(), null, TimeSpan.Zero, interval);
    }

    private void Poll()
    {
        try
        {
            if (_store.Runs.IsCancelRequested(_runId)) _target.Cancel();
        }
        // A dropped connection must not end the run: the next poll tries again.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        using var stopped = new ManualResetEvent(false);
        // Waits for a poll in flight, so nothing cancels a disposed source.
        if (_timer.Dispose(stopped)) stopped.WaitOne();
    }
}
