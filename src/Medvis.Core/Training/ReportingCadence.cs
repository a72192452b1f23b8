using System.Diagnostics;

namespace Medvis.Core.Training;

/// <summary>
/// Keeps what a run does between epochs from growing with the epoch count: checkpoints no more often than
/// <see cref="TrainingOptions.CheckpointMinSeconds"/> (but always after the run's first epoch and at each stage's
/// end, the points a resume needs most), and snapshots only while their cost stays within
/// <see cref="TrainingOptions.SnapshotMaxOverhead"/> of the time since the previous one. Neither changes the map:
/// a resume from any checkpoint gives the result of an uninterrupted run.
/// </summary>
internal sealed class ReportingCadence(TrainingOptions options)
{
    private readonly Stopwatch _sinceCheckpoint = new();
    private readonly Stopwatch _sinceSnapshot = new();
    private int? _lastCheckpointEpoch;
    private double _lastSnapshotSeconds;

    /// <summary>Whether a snapshot now keeps within the allowed overhead; true before the first one.</summary>
    public bool SnapshotAffordable =>
        options.SnapshotMaxOverhead >= 1 || !_sinceSnapshot.IsRunning || _lastSnapshotSeconds <= options.SnapshotMaxOverhead * _sinceSnapshot.Elapsed.TotalSeconds;

    /// <summary>Records a snapshot that took <paramref name="seconds"/>.</summary>
    public void SnapshotTaken(double seconds)
    {
        _lastSnapshotSeconds = seconds;
        _sinceSnapshot.Restart();
    }

    /// <summary>Whether to save a checkpoint after global epoch <paramref name="globalEpoch"/>.</summary>
    public bool CheckpointDue(int globalEpoch, bool lastOfStage)
    {
        if (lastOfStage || _lastCheckpointEpoch is null) return true;
        return globalEpoch - _lastCheckpointEpoch.Value >= options.CheckpointEvery
            && _sinceCheckpoint.Elapsed.TotalSeconds >= options.CheckpointMinSeconds;
    }

    /// <summary>Records a saved checkpoint.</summary>
    public void CheckpointSaved(int globalEpoch)
    {
        _lastCheckpointEpoch = globalEpoch;
        _sinceCheckpoint.Restart();
    }
}
