namespace Medvis.Core.Training;

/// <summary>Where a run keeps its latest checkpoint (a folder for the CLI, LiteDB for the web app).</summary>
public interface ICheckpointStore
{
    /// <summary>Replaces the stored checkpoint (atomically: a crash mid-write leaves the previous one).</summary>
    void Save(TrainingCheckpoint checkpoint);

    /// <summary>The latest checkpoint, or null when there is none.</summary>
    TrainingCheckpoint? LoadLatest();
}

/// <summary>
/// The trainer's full state after <see cref="GlobalEpoch"/> finished epochs: model weights, optimiser state
/// and RNG state (all opaque bytes), so a resumed run continues exactly where it stopped.
/// </summary>
public sealed record TrainingCheckpoint(int GlobalEpoch, byte[] State, DateTime SavedAtUtc);
