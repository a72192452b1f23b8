using Medvis.Core.Storage;

namespace Medvis.Web.Training;

/// <summary>Something that happened to a run, as sent to pages and hub clients. Plain data.</summary>
public abstract record RunUpdate(int RunId);

/// <summary>The run changed state (queued, running, done, failed with an error, cancelled).</summary>
public sealed record RunStatusUpdate(int RunId, RunStatus Status, string? Error) : RunUpdate(RunId);

/// <summary>An epoch finished.</summary>
public sealed record RunEpochUpdate(int RunId, EpochPoint Point) : RunUpdate(RunId);

/// <summary>Progress within an epoch (sent at most a few times a second).</summary>
public sealed record RunStepUpdate(int RunId, int Stage, int Epoch, int Step, int StepsPerEpoch, double Loss) : RunUpdate(RunId);

/// <summary>A new 2-D snapshot of the fixed subset.</summary>
public sealed record RunSnapshotUpdate(int RunId, SnapshotPoint Snapshot) : RunUpdate(RunId);

/// <summary>A log line from the trainer or the service.</summary>
public sealed record RunMessageUpdate(int RunId, string Text) : RunUpdate(RunId);

/// <summary>
/// Everything a viewer needs to draw a run from scratch: what late joiners and reconnecting pages get first.
/// Later epoch updates may repeat the last points; viewers skip epochs they already have.
/// </summary>
public sealed record RunHistory(
    int RunId, RunStatus Status, string? Error, IReadOnlyList<EpochPoint> Epochs, SnapshotPoint? LatestSnapshot,
    RunStepUpdate? LastStep, IReadOnlyList<string> Messages);
