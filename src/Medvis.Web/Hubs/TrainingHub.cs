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
/// Blazor pages subscribe to <see cref="TrainingNotifier"/> directly and do not connect here.
/// </summary>
public sealed class TrainingHub(TrainingNotifier notifier) : Hub<ITrainingClient>
{
    /// <summary>Group that receives status changes of every run.</summary>
    public const string AllRunsGroup = "runs";

    public static string GroupOf(int runId) => $"run-{runId}";

    /// <summary>Starts streaming a run's updates to the caller and returns its history so far (null for an unknown run).</summary>
    public async Task<RunHistory?> JoinRun(int runId)
    {
        // Join first, then read: an update in between arrives twice rather than never.
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(runId));
        return notifier.History(runId);
    }

    public Task LeaveRun(int runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(runId));

    /// <summary>Streams status changes of all runs to the caller.</summary>
    public Task WatchAllRuns() => Groups.AddToGroupAsync(Context.ConnectionId, AllRunsGroup);
}
