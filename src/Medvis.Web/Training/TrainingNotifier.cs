using System.Collections.Concurrent;
using Medvis.Core.Storage;
using Medvis.Web.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Medvis.Web.Training;

/// <summary>
/// Fans run updates out to subscribed components (Blazor circuits) and to SignalR groups (other clients).
/// Each subscriber, and the hub, has its own bounded <see cref="SubscriberQueue"/> and its own pump, so the
/// training thread never waits on a browser and one slow subscriber never delays the others.
/// </summary>
public sealed class TrainingNotifier : IDisposable
{
    /// <summary>Updates one subscriber may fall behind by before its oldest step updates are dropped.</summary>
    public const int SubscriberCapacity = 256;

    private readonly IMedvisStore _database;
    private readonly IHubContext<TrainingHub, ITrainingClient> _hub;
    private readonly ILogger<TrainingNotifier> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Guid, Subscription> _subscriptions = new();
    private readonly ConcurrentDictionary<int, RunStepUpdate> _lastSteps = new();
    private readonly Subscription _hubSubscription;

    public TrainingNotifier(IMedvisStore database, IHubContext<TrainingHub, ITrainingClient> hub, ILogger<TrainingNotifier> logger)
    {
        _database = database;
        _hub = hub;
        _logger = logger;
        // SignalR keeps a buffer per connection; this queue only keeps a stalled send from holding up the circuits.
        _hubSubscription = Start(null, SendToHubAsync, _stopping.Token);
    }

    /// <summary>Calls <paramref name="handler"/> for every update of run <paramref name="runId"/> (all runs when null) until disposed.</summary>
    public IDisposable Subscribe(int? runId, Func<RunUpdate, Task> handler)
    {
        var key = Guid.NewGuid();
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        _subscriptions[key] = Start(runId, handler, stop.Token);
        return new Unsubscriber(() =>
        {
            _subscriptions.TryRemove(key, out _);
            stop.Cancel();
            stop.Dispose();
        });
    }

    /// <summary>Queues an update for every interested subscriber; returns at once.</summary>
    public void Publish(RunUpdate update)
    {
        if (update is RunStepUpdate step) _lastSteps[step.RunId] = step;
        if (update is RunStatusUpdate { Status: not RunStatus.Running } done) _lastSteps.TryRemove(done.RunId, out _);
        foreach (var subscription in _subscriptions.Values)
            if (subscription.RunId is null || subscription.RunId == update.RunId)
                subscription.Queue.Add(update);
        _hubSubscription.Queue.Add(update);
    }

    /// <summary>The run as stored so far (loss curve, latest snapshot, status), or null for an unknown run.</summary>
    public RunHistory? History(int runId)
    {
        var run = _database.Runs.Get(runId);
        if (run is null) return null;
        _lastSteps.TryGetValue(runId, out var lastStep);
        return new RunHistory(run.Id, run.Status, run.Error, run.History, run.LatestSnapshot, lastStep, run.Messages);
    }

    private Subscription Start(int? runId, Func<RunUpdate, Task> handler, CancellationToken stop)
    {
        var queue = new SubscriberQueue(SubscriberCapacity);
        _ = Task.Run(() => PumpAsync(queue, handler, stop), CancellationToken.None);
        return new Subscription(runId, queue);
    }

    private async Task PumpAsync(SubscriberQueue queue, Func<RunUpdate, Task> handler, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var update = await queue.TakeAsync(stop);
                await DeliverAsync(() => handler(update));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private Task SendToHubAsync(RunUpdate update)
    {
        var group = _hub.Clients.Group(TrainingHub.GroupOf(update.RunId));
        var everyone = _hub.Clients.Group(TrainingHub.AllRunsGroup);
        return update switch
        {
            RunStatusUpdate s => Task.WhenAll(group.Status(s), everyone.Status(s)),
            RunEpochUpdate e => group.Epoch(e),
            RunStepUpdate s => group.Step(s),
            RunSnapshotUpdate s => group.Snapshot(s),
            RunMessageUpdate m => group.Message(m),
            _ => Task.CompletedTask,
        };
    }

    // One broken subscriber (a closed circuit, a dropped connection) must not stop the others.
    private async Task DeliverAsync(Func<Task> send)
    {
        try { await send(); }
        catch (Exception e) { _logger.LogDebug(e, "A run update could not be delivered"); }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private sealed record Subscription(int? RunId, SubscriberQueue Queue);

    private sealed class Unsubscriber(Action unsubscribe) : IDisposable
    {
        private int _disposed;
        public void Dispose() { if (Interlocked.Exchange(ref _disposed, 1) == 0) unsubscribe(); }
    }
}
