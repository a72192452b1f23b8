using Medvis.Core.Data;
using Medvis.Core.Training;
using Medvis.Web.Services;

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

    /// <summary>The epoch (counted over all stages) after which training waits.</summary>
    public int PauseAfterGlobalEpoch => pauseAfterGlobalEpoch;

    public TrainingResult Train(ImageDataset data, TrainingOptions options, IProgress<TrainingEvent> progress,
        ICheckpointStore checkpoints, CancellationToken cancellation) =>
        _engine.Train(data, options, new PausingProgress(this, progress), checkpoints, cancellation);

    private sealed class PausingProgress(PausingMapTrainer owner, IProgress<TrainingEvent> inner) : IProgress<TrainingEvent>
    {
        public void Report(TrainingEvent value)
        {
            inner.Report(value);
            if (value is not EpochCompleted epoch || epoch.GlobalEpoch != owner.PauseAfterGlobalEpoch) return;
            owner._paused.TrySetResult();
            // Bounded, so a failed test never leaves a training thread blocked forever.
            owner._released.Wait(MaxPause);
        }
    }

}
