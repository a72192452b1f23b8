using Medvis.Core.Data;
using Medvis.Core.Training;

namespace Medvis.Core.Runs;

/// <summary>Trains a map: the seam between a map run and the t-SimCNE engine, so hosts can test their plumbing without training.</summary>
public interface IMapTrainer
{
    /// <summary>Synchronous; resumes from <paramref name="checkpoints"/> when it holds a checkpoint.</summary>
    TrainingResult Train(ImageDataset data, TrainingOptions options, IProgress<TrainingEvent> progress,
        ICheckpointStore checkpoints, CancellationToken cancellation);
}

/// <summary>The t-SimCNE engine.</summary>
public sealed class TSimCneMapTrainer : IMapTrainer
{
    /// <inheritdoc />
    public TrainingResult Train(ImageDataset data, TrainingOptions options, IProgress<TrainingEvent> progress,
        ICheckpointStore checkpoints, CancellationToken cancellation) =>
        new TSimCneTrainer(options).Train(data, progress, checkpoints, cancellation);
}
