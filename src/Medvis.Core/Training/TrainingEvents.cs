namespace Medvis.Core.Training;

/// <summary>Something the trainer reports while it runs. Plain data: safe to serialise and send to browsers.</summary>
public abstract record TrainingEvent;

/// <summary>Reported every few steps within an epoch.</summary>
public sealed record StepProgress(int Stage, int Epoch, int Step, int StepsPerEpoch, double Loss) : TrainingEvent;

/// <summary>
/// Reported at the end of every epoch. Epoch numbers are 0-based within the stage; <c>Loss</c> is the epoch's mean
/// batch loss.
/// </summary>
public sealed record EpochCompleted(
    int Stage, int Epoch, int EpochsInStage, int GlobalEpoch, int TotalEpochs,
    double Loss, double LearningRate, double ImagesPerSecond, TimeSpan Elapsed, TimeSpan? EstimatedRemaining) : TrainingEvent
{
    /// <summary>kNN accuracy on the snapshot subset (128-d output in stage 1, 2-D after) when this epoch took a snapshot.</summary>
    public double? KnnAccuracy { get; init; }
    /// <summary>Wall time of this epoch, its snapshot and kNN included.</summary>
    public double EpochSeconds { get; init; }
    /// <summary>How <see cref="EstimatedRemaining"/> was reached (null before any epoch was timed).</summary>
    public EtaEstimate? Eta { get; init; }
}

/// <summary>2-D coordinates of the fixed snapshot subset (stages 2 and 3). <c>Indices</c> index the training dataset.</summary>
/// <remarks>Used by the live view and stored (thinned) for the replay.</remarks>
public sealed record EmbeddingSnapshot(int Stage, int Epoch, int GlobalEpoch, int[] Indices, int[] Labels, float[] X, float[] Y) : TrainingEvent;

/// <summary>A checkpoint was written.</summary>
public sealed record CheckpointSaved(int Stage, int Epoch, int GlobalEpoch) : TrainingEvent;

/// <summary>A message for the log (resumed from a checkpoint, device chosen, …).</summary>
public sealed record TrainingMessage(string Text) : TrainingEvent;
