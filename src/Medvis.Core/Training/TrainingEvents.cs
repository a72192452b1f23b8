namespace Medvis.Core.Training;

/// <summary>Something the trainer reports while it runs. Plain data: safe to serialise and send to browsers.</summary>
public abstract record TrainingEvent;

/// <summary>Reported every few steps within an epoch.</summary>
public sealed record StepProgress(int Stage, int Epoch, int Step, int StepsPerEpoch, double Loss) : TrainingEvent;

/// <summary>Reported at the end of every epoch. Epoch numbers are 0-based within the stage.</summary>
public sealed record EpochCompleted(
    int Stage, int Epoch, int EpochsInStage, int GlobalEpoch, int TotalEpochs,
    double Loss, double LearningRate, double ImagesPerSecond, TimeSpan Elapsed, TimeSpan? EstimatedRemaining) : TrainingEvent;

/// <summary>2-D coordinates of the fixed snapshot subset (stages 2 and 3). <c>Indices</c> index the training dataset.</summary>
public sealed record EmbeddingSnapshot(int Stage, int Epoch, int GlobalEpoch, int[] Indices, int[] Labels, float[] X, float[] Y) : TrainingEvent;

/// <summary>A checkpoint was written.</summary>
public sealed record CheckpointSaved(int Stage, int Epoch, int GlobalEpoch) : TrainingEvent;

/// <summary>A message for the log (resumed from a checkpoint, device chosen, …).</summary>
public sealed record TrainingMessage(string Text) : TrainingEvent;
