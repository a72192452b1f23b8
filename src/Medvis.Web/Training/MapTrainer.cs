using Medvis.Core.Data;
using Medvis.Core.Training;

namespace Medvis.Web.Training;

/// <summary>Trains a map; the seam between the hosted service and the t-SimCNE engine.</summary>
public interface IMapTrainer
{
    /// <summary>Synchronous; resumes from <paramref name="checkpoints"/> when it holds a checkpoint.</summary>
    TrainingResult Train(ImageDataset data, TrainingOptions options, IProgress<TrainingEvent> progress,
        ICheckpointStore checkpoints, CancellationToken cancellation);
}

/// <summary>The real engine.</summary>
public sealed class TSimCneMapTrainer : IMapTrainer
{
    public TrainingResult Train(ImageDataset data, TrainingOptions options, IProgress<TrainingEvent> progress,
        ICheckpointStore checkpoints, CancellationToken cancellation) =>
        new TSimCneTrainer(options).Train(data, progress, checkpoints, cancellation);
}
