using System.Collections.Concurrent;
using System.Threading.Channels;
using Medvis.Core.Storage;
using Medvis.Web.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Medvis.Web.Training;

/// <summary>
/// Fans run updates out to subscribed components (Blazor circuits) and to SignalR groups (other clients).
/// Updates are queued and delivered in order by one pump, so the training thread never waits on a browser.
/// </summary>
public sealed class TrainingNotifier : IDisposable
{
    private readonly IMedvisStore _database;
    private readonly IHubContext<TrainingHub, ITrainingClient> _hub;
    private readonly ILogger<TrainingNotifier> _logger;
    private readonly Channel<RunUpdate> _pending = Channel.CreateUnbounded<RunUpdate>(new() { SingleReader = true });
    private readonly ConcurrentDictionary<Guid, Subscription> _subscriptions = new();
    private readonly ConcurrentDictionary<int, RunStepUpdate> _lastSteps = new();
    private readonly Task _pump;

    public TrainingNotifier(IMedvisStore database, IHubContext<TrainingHub, ITrainingClient> hub, ILogger<TrainingNotifier> logger)
    {
        _database = database;
        _hub = hub;
        _logger = logger;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Calls <paramref name="handler"/> for every update of run <paramref name="runId"/> (all runs when null) until disposed.</summary>
    public IDisposable Subscribe(int? runId, Func<RunUpdate, Task> handler)
    {
        var key = Guid.NewGuid();
        _subscriptions[key] = new Subscription(runId, handler);
        return new Unsubscriber(() => _subscriptions.TryRemove(key, out _));
    }

    /// <summary>Queues an update for delivery; returns at once.</summary>
    public void Publish(RunUpdate update)
    {
        if (update is RunStepUpdate step) _lastSteps[step.RunId] = step;
        if (update is RunStatusUpdate { Status: not RunStatus.Running } done) _lastSteps.TryRemove(done.RunId, out _);
        _pending.Writer.TryWrite(update);
    }

    /// <summary>The run as stored so far (loss curve, latest snapshot, status), or null for an unknown run.</summary>
    public RunHistory? History(int runId)
    {
        var run = _database.Runs.Get(runId);
        if (run is null) return null;
        _lastSteps.TryGetValue(runId, out var lastStep);
        return new RunHistory(run.Id, run.Status, run.Error, run.History, run.LatestSnapshot, lastStep, run.Messages);
    }

    private async Task PumpAsync()
    {
        await foreach (var update in _pending.Reader.ReadAllAsync())
        {
            foreach (var subscription in _subscriptions.Values)
                if (subscription.RunId is null || subscription.RunId == update.RunId)
                    await DeliverAsync(() => subscription.Handler(update));
            await DeliverAsync(() => SendToHubAsync(update));
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
        _pending.Writer.TryComplete();
        _pump.Wait(TimeSpan.FromSeconds(2));
    }

    private sealed record Subscription(int? RunId, Func<RunUpdate, Task> Handler);

    private sealed class Unsubscriber(Action unsubscribe) : IDisposable
    {
        private int _disposed;
        public void Dispose() { if (Interlocked.Exchange(ref _disposed, 1) == 0) unsubscribe(); }
    }
}
