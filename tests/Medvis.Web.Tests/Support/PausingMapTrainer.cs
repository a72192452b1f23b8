using Medvis.Core.Runs;
using Medvis.Core.Data;
using Medvis.Core.Training;
using Medvis.Web.Datasets;
using Medvis.Web.Extensions;
using Medvis.Web.Results;
using Medvis.Web.Training;

namespace Medvis.Web.Tests.Support;

/// <summary>
/// The real engine, held still after a chosen epoch until the test releases it: a browser test can then look
/// at a run's live view without racing a training run that may finish in seconds.
/// </summary>
public sealed class PausingMapTrainer(int pauseAfterGlobalEpoch) : IMapTrainer
{
    private static readonly TimeSpan MaxPause = TimeSpan.FromMinutes(5);
    private readonly TSimCneMapTrainer _engine = new();
    private readonly ManualResetEventSlim _released = new(false);
    private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when training has reached the pause.</summary>
    public Task Paused => _paused.Task;

    /// <summary>Lets training go on.</summary>
    public void Release() => _released.Set();

    public TrainingResult Train(ImageDataset data, TrainingOptions options, IProgress<TrainingEvent> progress,
        ICheckpointStore checkpoints, CancellationToken cancellation) =>
        _engine.Train(data, options, new SynchronousProgress<TrainingEvent>(value =>
        {
            progress.Report(value);
            if (value is not EpochCompleted epoch || epoch.GlobalEpoch != pauseAfterGlobalEpoch) return;
            _paused.TrySetResult();
            // Bounded, so a failed test never leaves a training thread blocked forever.
            _released.Wait(MaxPause);
        }), checkpoints, cancellation);
}
