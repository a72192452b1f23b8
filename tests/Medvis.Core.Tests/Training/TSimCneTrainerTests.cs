using Medvis.Core.Training;

namespace Medvis.Core.Tests.Training;

public class TSimCneTrainerTests
{
    [Fact]
    public void TinyRunSeparatesTwoTriviallyDifferentClasses()
    {
        var data = TrainingTestData.TwoClasses(128);
        var events = new List<TrainingEvent>();
        var result = new TSimCneTrainer(TrainingTestData.TinyOptions([6, 3, 3]) with { LearningRate = 0.05 }).Train(data, new SynchronousProgress<TrainingEvent>(events.Add));
        using var model = result.Model;

        Assert.Equal(128, result.Coordinates.GetLength(0));
        Assert.Equal(2, result.Coordinates.GetLength(1));
        Assert.Equal(1.0, NearestCentroidAccuracy(result.Coordinates, data.Labels), 2);
        var epochs = events.OfType<EpochCompleted>().ToList();
        Assert.Equal(12, epochs.Count);
        Assert.Equal([1, 2, 3], epochs.Select(e => e.Stage).Distinct());
        Assert.True(epochs.All(e => double.IsFinite(e.Loss) && e.ImagesPerSecond > 0));
        var snapshots = events.OfType<EmbeddingSnapshot>().ToList();
        Assert.NotEmpty(snapshots);
        Assert.All(snapshots, s => Assert.True(s.Stage >= 2 && s.X.Length == 20 && s.Indices.Length == 20));
    }

    [Fact]
    public void StageOneReportsTheKnnAccuracyOfItsOutputOnTheSnapshotSubsetAndEveryEpochAnEta()
    {
        var data = TrainingTestData.TwoClasses(128, seed: 2);
        var events = new List<TrainingEvent>();
        var options = TrainingTestData.TinyOptions([6, 1, 1]) with { LearningRate = 0.05, SnapshotEvery = 2, SnapshotSize = 60 };
        new TSimCneTrainer(options).Train(data, new SynchronousProgress<TrainingEvent>(events.Add)).Model.Dispose();

        var epochs = events.OfType<EpochCompleted>().ToList();
        var stageOne = epochs.Where(e => e.Stage == 1).ToList();
        // Snapshot epochs (every 2nd and each stage's last) carry a kNN accuracy; the others none.
        Assert.Equal([false, true, false, true, false, true], stageOne.Select(e => e.KnnAccuracy is not null));
        Assert.All(stageOne.Where(e => e.KnnAccuracy is not null), e => Assert.InRange(e.KnnAccuracy!.Value, 0.0, 1.0));
        // The two classes are trivially different: the 128-d output separates them by the end of stage 1.
        Assert.True(stageOne[^1].KnnAccuracy >= 0.8, $"stage-1 kNN {stageOne[^1].KnnAccuracy}");
        Assert.All(epochs.Where(e => e.Stage >= 2), e => Assert.NotNull(e.KnnAccuracy));
        Assert.All(epochs, e => Assert.True(e.Eta is not null && e.EpochSeconds > 0));
        Assert.Equal(TimeSpan.Zero, epochs[^1].EstimatedRemaining);
        Assert.True(epochs[0].Eta!.Rough);
        Assert.False(epochs[2].Eta!.Rough);
    }

    [Fact]
    public void SnapshotsAndTheirKnnLeaveTheMapUnchanged()
    {
        var data = TrainingTestData.TwoClasses(64, seed: 4);
        var options = TrainingTestData.TinyOptions([3, 1, 1]);
        var watched = new TSimCneTrainer(options with { SnapshotEvery = 1 }).Train(data);
        var unwatched = new TSimCneTrainer(options with { SnapshotEvery = 0 }).Train(data);
        watched.Model.Dispose();
        unwatched.Model.Dispose();
        Assert.Equal(unwatched.Coordinates, watched.Coordinates);
    }

    [Theory]
    [InlineData(450, 0.1 / 1000)]
    [InlineData(2000, 0.1 / 1000)]
    [InlineData(20, 0.1 * 0.45 / 20)]
    [InlineData(2, 0.1 / 10)]
    public void AShortFineTuningStageGetsAProportionallyLargerRate(int stage3Epochs, double expected)
    {
        var options = new TrainingOptions { LearningRate = 0.1, EpochsPerStage = [10, 5, stage3Epochs] };
        Assert.Equal(expected, options.EffectiveFineTuneLearningRate, 12);
        Assert.Equal(0.003, (options with { FineTuneLearningRate = 0.003 }).EffectiveFineTuneLearningRate, 12);
    }

    [Fact]
    public void StageThreeTrainsAtTheFineTuningRate()
    {
        var rates = new List<(int Stage, double Rate)>();
        var options = TrainingTestData.TinyOptions([1, 1, 12]) with { LearningRate = 0.05 };
        new TSimCneTrainer(options).Train(TrainingTestData.TwoClasses(16),
            new SynchronousProgress<TrainingEvent>(e => { if (e is EpochCompleted done) rates.Add((done.Stage, done.LearningRate)); })).Model.Dispose();

        var peak = rates.Where(r => r.Stage == 3).Max(r => r.Rate);
        Assert.Equal(options.EffectiveFineTuneLearningRate, peak, 9);
        Assert.Equal(0.05 * 0.45 / 12, peak, 9);
    }

    [Fact]
    public void StageOneLossFallsOverTraining()
    {
        var data = TrainingTestData.TwoClasses(128, seed: 3);
        var losses = new List<double>();
        var result = new TSimCneTrainer(TrainingTestData.TinyOptions([8, 0, 0])).Train(data,
            new SynchronousProgress<TrainingEvent>(e => { if (e is EpochCompleted done) losses.Add(done.Loss); }));
        result.Model.Dispose();
        Assert.True(losses[^1] < losses[1], $"loss went from {losses[1]} to {losses[^1]}");
    }

    [Fact]
    public void ResumingACancelledRunGivesTheUninterruptedResult()
    {
        var data = TrainingTestData.TwoClasses(64, seed: 5);
        var options = TrainingTestData.TinyOptions([2, 2, 2]);
        var uninterrupted = new TSimCneTrainer(options).Train(data);
        uninterrupted.Model.Dispose();

        var store = new InMemoryCheckpointStore();
        using var cancel = new CancellationTokenSource();
        var cancelAfterThird = new SynchronousProgress<TrainingEvent>(e => { if (e is CheckpointSaved { GlobalEpoch: 3 }) cancel.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => new TSimCneTrainer(options).Train(data, cancelAfterThird, store, cancel.Token));
        Assert.Equal(3, store.Latest!.GlobalEpoch);

        var messages = new List<string>();
        var resumed = new TSimCneTrainer(options).Train(data,
            new SynchronousProgress<TrainingEvent>(e => { if (e is TrainingMessage m) messages.Add(m.Text); }), store);
        resumed.Model.Dispose();
        Assert.Contains(messages, m => m.Contains("Resumed from the checkpoint after epoch 3"));
        AssertClose(uninterrupted.Coordinates, resumed.Coordinates, 1e-4f);
    }

    [Fact]
    public void ACheckpointOfOtherSettingsIsRefusedAndKept()
    {
        var data = TrainingTestData.TwoClasses(32, seed: 5);
        var options = TrainingTestData.TinyOptions([1, 1, 1]);
        var store = new InMemoryCheckpointStore();
        using var cancel = new CancellationTokenSource();
        var cancelAfterFirst = new SynchronousProgress<TrainingEvent>(e => { if (e is CheckpointSaved) cancel.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => new TSimCneTrainer(options).Train(data, cancelAfterFirst, store, cancel.Token));
        var saved = store.Latest!;

        var otherSeed = Assert.Throws<InvalidDataException>(() => new TSimCneTrainer(options with { Seed = 8 }).Train(data, checkpoints: store));
        Assert.Contains("Seed 7 → 8", otherSeed.Message);
        var otherAugmentation = Assert.Throws<InvalidDataException>(() =>
            new TSimCneTrainer(options with { Augmentation = options.Augmentation with { Grayscale = false } }).Train(data, checkpoints: store));
        Assert.Contains("Augmentation", otherAugmentation.Message);
        var otherData = Assert.Throws<InvalidDataException>(() => new TSimCneTrainer(options).Train(TrainingTestData.TwoClasses(40), checkpoints: store));
        Assert.Contains("32 images", otherData.Message);
        Assert.Same(saved, store.Latest);

        // Where it runs and how often it reports do not change the result, so those may differ on resume.
        var messages = new List<string>();
        new TSimCneTrainer(options with { SnapshotEvery = 0, CheckpointEvery = 2, Device = "auto" }).Train(data,
            new SynchronousProgress<TrainingEvent>(e => { if (e is TrainingMessage m) messages.Add(m.Text); }), store).Model.Dispose();
        Assert.Contains(messages, m => m.Contains("Resumed from the checkpoint after epoch 1"));
    }

    [Fact]
    public void ANativeErrorMidRunContinuesFromTheLastCheckpointWithTheSameResult()
    {
        var data = TrainingTestData.TwoClasses(64, seed: 5);
        var options = TrainingTestData.TinyOptions([2, 2, 2]);
        var uninterrupted = new TSimCneTrainer(options).Train(data);
        uninterrupted.Model.Dispose();

        var store = new FailingCheckpointStore((3, 1));
        var messages = new List<string>();
        var recovered = new TSimCneTrainer(options).Train(data,
            new SynchronousProgress<TrainingEvent>(e => { if (e is TrainingMessage m) messages.Add(m.Text); }), store);
        recovered.Model.Dispose();

        Assert.True(store.Failed);
        Assert.Contains(messages, m => m.Contains("continuing from the last checkpoint") && m.Contains("garbage scalar"));
        Assert.Contains(messages, m => m.Contains("Resumed from the checkpoint after epoch 2"));
        AssertClose(uninterrupted.Coordinates, recovered.Coordinates, 1e-4f);
    }

    [Fact]
    public void WithoutACheckpointANativeErrorIsNotSwallowed()
    {
        var store = new FailingCheckpointStore((1, 1));
        Assert.Throws<System.Runtime.InteropServices.ExternalException>(() =>
            new TSimCneTrainer(TrainingTestData.TinyOptions([2, 0, 0])).Train(TrainingTestData.TwoClasses(16), checkpoints: store));
    }

    [Fact]
    public void SporadicNativeErrorsNeverEndARunAndEachIsRecoveredFrom()
    {
        var data = TrainingTestData.TwoClasses(64, seed: 5);
        var options = TrainingTestData.TinyOptions([2, 2, 2]);
        var uninterrupted = new TSimCneTrainer(options).Train(data);
        uninterrupted.Model.Dispose();

        // Five errors in one run, more than MaxRecoveriesWithoutProgress, but each after a new checkpoint.
        var store = new FailingCheckpointStore((2, 1), (3, 1), (4, 1), (5, 1), (6, 1));
        var messages = new List<string>();
        var recovered = new TSimCneTrainer(options).Train(data,
            new SynchronousProgress<TrainingEvent>(e => { if (e is TrainingMessage m) messages.Add(m.Text); }), store);
        recovered.Model.Dispose();

        Assert.Equal(5, store.Failures);
        Assert.Contains(messages, m => m.Contains("recovery 5; 1 of 3 allowed"));
        AssertClose(uninterrupted.Coordinates, recovered.Coordinates, 1e-4f);
    }

    [Fact]
    public void ANativeErrorThatKeepsRecurringAtTheSamePointEndsTheRun()
    {
        var store = new FailingCheckpointStore((3, int.MaxValue));
        var messages = new List<string>();
        Assert.Throws<System.Runtime.InteropServices.ExternalException>(() =>
            new TSimCneTrainer(TrainingTestData.TinyOptions([2, 2, 0])).Train(TrainingTestData.TwoClasses(16),
                new SynchronousProgress<TrainingEvent>(e => { if (e is TrainingMessage m) messages.Add(m.Text); }), store));
        Assert.Equal(1 + TSimCneTrainer.MaxRecoveriesWithoutProgress, store.Failures);
        Assert.Contains(messages, m => m.Contains("3 of 3 allowed"));
        Assert.Equal(2, store.LoadLatest()!.GlobalEpoch);
    }

    /// <summary>Fails like a libtorch error when asked to save the given epochs (each a given number of times); stores normally otherwise.</summary>
    private sealed class FailingCheckpointStore(params (int Epoch, int Times)[] failures) : ICheckpointStore
    {
        private readonly Dictionary<int, int> _remaining = failures.ToDictionary(f => f.Epoch, f => f.Times);
        private TrainingCheckpoint? _latest;
        public int Failures { get; private set; }
        public bool Failed => Failures > 0;

        public void Save(TrainingCheckpoint checkpoint)
        {
            if (_remaining.TryGetValue(checkpoint.GlobalEpoch, out var left) && left > 0)
            {
                _remaining[checkpoint.GlobalEpoch] = left - 1;
                Failures++;
                throw new System.Runtime.InteropServices.ExternalException("garbage scalar\nframe #0 …");
            }
            _latest = checkpoint;
        }

        public TrainingCheckpoint? LoadLatest() => _latest;
    }

    [Fact]
    public void SameSeedGivesTheSameMapAndAnotherSeedAnother()
    {
        var data = TrainingTestData.TwoClasses(64, seed: 9);
        float[,] Run(int seed)
        {
            var result = new TSimCneTrainer(TrainingTestData.TinyOptions([1, 1, 1], seed)).Train(data);
            result.Model.Dispose();
            return result.Coordinates;
        }
        var first = Run(1);
        AssertClose(first, Run(1), 0f);
        Assert.NotEqual(first[0, 0], Run(2)[0, 0]);
    }

    [Fact]
    public void OutOfSampleTransformEqualsTheEmbeddingOfTheSameImages()
    {
        var data = TrainingTestData.TwoClasses(64, seed: 11);
        var result = new TSimCneTrainer(TrainingTestData.TinyOptions([1, 1, 1])).Train(data);
        using var model = result.Model;
        AssertClose(result.Coordinates, model.Transform(data, batchSize: 7), 1e-5f);

        using var reloaded = TSimCneModel.FromBytes(model.ToBytes(), "cpu");
        var subset = data.Subset([5, 17, 40]);
        var placed = reloaded.Transform(subset);
        for (var i = 0; i < 3; i++)
            for (var d = 0; d < 2; d++)
                Assert.Equal(result.Coordinates[subset.SourceIndices[i], d], placed[i, d], 4);
        Assert.Equal(["dark", "bright"], reloaded.ClassNames);
    }

    [Fact]
    public void ImagesOfAnotherShapeAreRejectedByTransform()
    {
        var result = new TSimCneTrainer(TrainingTestData.TinyOptions([1, 1, 0])).Train(TrainingTestData.TwoClasses(16));
        using var model = result.Model;
        var error = Assert.Throws<ArgumentException>(() => model.Transform(TrainingTestData.TwoClasses(4, size: 10)));
        Assert.Contains("3×12×12", error.Message);
    }

    [Fact]
    public void SimClrBaselineKeepsTheHighDimensionalOutputAndGivesBackboneFeatures()
    {
        var data = TrainingTestData.TwoClasses(32, seed: 13);
        var options = TrainingTestData.TinyOptions([2, 0, 0]) with { PretrainLoss = ContrastiveMetric.Cosine };
        var result = new TSimCneTrainer(options).Train(data);
        using var model = result.Model;
        Assert.Equal(16, model.OutputDim);
        Assert.Equal(16, result.Coordinates.GetLength(1));
        Assert.Equal(64, model.Features(data).GetLength(1));
    }

    [Fact]
    public void LiveTensorCountStaysFlatAcrossEpochs()
    {
        var data = TrainingTestData.TwoClasses(64, seed: 17);
        var liveAtEpochEnd = new List<long>();
        var result = new TSimCneTrainer(TrainingTestData.TinyOptions([4, 0, 4])).Train(data, new SynchronousProgress<TrainingEvent>(e =>
        {
            if (e is EpochCompleted) liveAtEpochEnd.Add(TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }));
        result.Model.Dispose();
        // Epoch 1 may allocate optimiser state (momentum buffers); after that nothing may accumulate.
        Assert.Equal(liveAtEpochEnd[1], liveAtEpochEnd[3]);
        Assert.Equal(liveAtEpochEnd[5], liveAtEpochEnd[7]);
    }

    [Fact]
    public void GarbageModelBytesGiveAClearError() =>
        Assert.Throws<InvalidDataException>(() => TSimCneModel.FromBytes([1, 2, 3, 4, 5], "cpu"));

    [Theory]
    [InlineData(0, new[] { 1, 1, 1 })]
    [InlineData(32, new[] { 1, 1 })]
    [InlineData(32, new[] { 0, 0, 0 })]
    [InlineData(32, new[] { -1, 1, 1 })]
    public void AbsurdOptionsAreRejectedBeforeTraining(int batch, int[] epochs)
    {
        var options = TrainingTestData.TinyOptions(epochs) with { BatchSize = batch };
        Assert.Throws<InvalidSettingsException>(() => new TSimCneTrainer(options).Train(TrainingTestData.TwoClasses(8)));
    }

    internal static double NearestCentroidAccuracy(float[,] points, int[] labels)
    {
        var classes = labels.Max() + 1;
        var sums = new double[classes, 2];
        var counts = new int[classes];
        for (var i = 0; i < labels.Length; i++) { sums[labels[i], 0] += points[i, 0]; sums[labels[i], 1] += points[i, 1]; counts[labels[i]]++; }
        var correct = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var best = Enumerable.Range(0, classes).MinBy(c =>
                Math.Pow(points[i, 0] - sums[c, 0] / counts[c], 2) + Math.Pow(points[i, 1] - sums[c, 1] / counts[c], 2));
            if (best == labels[i]) correct++;
        }
        return (double)correct / labels.Length;
    }

    private static void AssertClose(float[,] expected, float[,] actual, float tolerance)
    {
        Assert.Equal(expected.GetLength(0), actual.GetLength(0));
        for (var i = 0; i < expected.GetLength(0); i++)
            for (var d = 0; d < expected.GetLength(1); d++)
                Assert.True(Math.Abs(expected[i, d] - actual[i, d]) <= tolerance, $"[{i},{d}]: {expected[i, d]} vs {actual[i, d]}");
    }
}
