using Medvis.Core.Telemetry;
using Medvis.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Medvis.Web.Hubs;

/// <summary>What the server calls on a SignalR client watching runs.</summary>
public interface ITrainingClient
{
    Task Status(RunStatusUpdate update);
    Task Epoch(RunEpochUpdate update);
    Task Step(RunStepUpdate update);
    Task Snapshot(RunSnapshotUpdate update);
    Task Message(RunMessageUpdate update);
}

/// <summary>
/// Live training progress for clients outside the Blazor circuit (scripts, other tools, tests), at /hubs/training.
/// Blazor pages subscribe to <see cref="TrainingNotifier"/> directly and do not connect here. Signed-in users may
/// watch every run; a share-link visitor only the runs of the link.
/// </summary>
[Authorize(Policy = MedvisClaims.ReaderPolicy)]
public sealed class TrainingHub(TrainingNotifier notifier, CallerResolver callers, LiveSessions sessions, MedvisMetrics metrics) : Hub<ITrainingClient>
{
    /// <summary>Group that receives status changes of every run.</summary>
    public const string AllRunsGroup = "runs";

    public static string GroupOf(int runId) => $"run-{runId}";

    /// <summary>
    /// Registers the connection, so that revoking its share link or disabling its user closes it: group messages
    /// reach a connection without any new request, where cookie checks would stop them.
    /// </summary>
    public override Task OnConnectedAsync()
    {
        var connection = Context;
        Context.Items[typeof(LiveSessions)] = sessions.Register(Context.User!, () =>
        {
            connection.Abort();
            return Task.CompletedTask;
        });
        metrics.HubConnected();
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        (Context.Items[typeof(LiveSessions)] as IDisposable)?.Dispose();
        metrics.HubDisconnected();
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Starts streaming a run's updates to the caller and returns its history so far (null for an unknown run).</summary>
    /// <exception cref="HubException">The caller may not read the run.</exception>
    public async Task<RunHistory?> JoinRun(int runId)
    {
        if (!AccessRules.CanRead(Caller, runId)) throw new HubException($"You may not watch run {runId}.");
        // Join first, then read: an update in between arrives twice rather than never.
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(runId));
        return notifier.History(runId);
    }

    public Task LeaveRun(int runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(runId));

    /// <summary>Streams status changes of all runs to the caller.</summary>
    /// <exception cref="HubException">The caller is not a signed-in user.</exception>
    public Task WatchAllRuns()
    {
        if (!AccessRules.CanBrowse(Caller)) throw new HubException("Only signed-in users may watch all runs.");
        return Groups.AddToGroupAsync(Context.ConnectionId, AllRunsGroup);
    }

    // Resolved per call, so a revoked link or a disabled user stops at once on an open connection.
    private Caller Caller => callers.Resolve(Context.User);
}
