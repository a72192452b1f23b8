using System.Diagnostics;
using System.Runtime.InteropServices;
using Medvis.Core.Augmentation;
using Medvis.Core.Compute;
using Medvis.Core.Data;
using Medvis.Core.Evaluation;
using Medvis.Core.Models;
using Medvis.Core.Training.Planning;
using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Training;

/// <summary>
/// Runs the three t-SimCNE stages on a dataset: (1) contrastive pre-training to 128-d, (2) a fresh 2-d output
/// layer trained alone, (3) the whole network fine-tuned at lr/1000. Synchronous: call it from a dedicated
/// thread (torch dispose scopes are per thread). Deterministic on CPU for a given seed, including across a
/// cancel-and-resume from a checkpoint.
/// </summary>
public sealed class TSimCneTrainer(TrainingOptions options)
{
    /// <summary>SGD settings of the reference (momentum 0.9, weight decay 5e-4 on all parameters).</summary>
    private const double Momentum = 0.9, WeightDecay = 5e-4;

    /// <summary>Std of the fresh 2-d layer's weights (the reference's last_lin_std).</summary>
    private const double NewOutputLayerStd = 1.0;

    /// <summary>Trains (or resumes from <paramref name="checkpoints"/>) and returns the model and the 2-D map of <paramref name="data"/>.</summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellation"/> fires; the last checkpoint stays.</exception>
    /// <exception cref="ArgumentException">When the options are invalid or the dataset too small.</exception>
    public TrainingResult Train(ImageDataset data, IProgress<TrainingEvent>? progress = null,
        ICheckpointStore? checkpoints = null, CancellationToken cancellation = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        NativeAllocator.KeepFreedBuffers();
        var flushed = DenormalFlush.Enable();
        using var threads = new TrainerThreads();
        progress?.Report(new TrainingMessage(threads.Explicit
            ? $"libtorch threads: {threads.Threads}, as set."
            : $"libtorch threads: {threads.Threads} of {Environment.ProcessorCount} cores ({threads.Trainings} training{(threads.Trainings == 1 ? "" : "s")} on this machine)."));
        progress?.Report(new TrainingMessage(flushed ? "Denormal floats flush to zero." : "Denormal floats are kept (FTZ/DAZ not available here)."));
        var recoveries = new NativeErrorRecoveries();
        while (true)
        {
            try
            {
                return TrainOnce(data, progress, checkpoints, threads, cancellation) with { Duration = clock.Elapsed, NativeErrorsRecovered = recoveries.Total };
            }
            catch (ExternalException e) when (checkpoints?.LoadLatest() is { } latest && recoveries.Allow(latest.GlobalEpoch))
            {
                // A safety net: TorchSharp 0.107 passes implicitly converted Scalars to libtorch as raw handles without
                // keeping them alive, so a GC finalizing one mid-call fails an op with a garbage scalar. The training
                // path now keeps every Scalar alive itself; should a native error still happen, the state of the last
                // checkpoint is intact: continue from it rather than lose the run.
                progress?.Report(new TrainingMessage($"libtorch failed ({FirstLine(e.Message)}); continuing from the last checkpoint " +
                    $"(recovery {recoveries.Total}; {recoveries.WithoutProgress} of {MaxRecoveriesWithoutProgress} allowed without a new checkpoint)."));
            }
        }
    }

    /// <summary>
    /// How often one <see cref="Train"/> call continues after native libtorch errors with no new checkpoint in between:
    /// sporadic errors never end a long run, an error that recurs at the same point does.
    /// </summary>
    public const int MaxRecoveriesWithoutProgress = 3;

    /// <summary>Counts recoveries, and those since the last one that was followed by a newer checkpoint.</summary>
    private sealed class NativeErrorRecoveries
    {
        private int? epochAtLastError;
        public int Total { get; private set; }
        public int WithoutProgress { get; private set; }

        public bool Allow(int checkpointEpoch)
        {
            WithoutProgress = epochAtLastError is { } previous && checkpointEpoch <= previous ? WithoutProgress + 1 : 1;
            epochAtLastError = checkpointEpoch;
            Total++;
            return WithoutProgress <= MaxRecoveriesWithoutProgress;
        }
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 160 ? line[..160] + "…" : line;
    }

    private TrainingResult TrainOnce(ImageDataset data, IProgress<TrainingEvent>? progress,
        ICheckpointStore? checkpoints, TrainerThreads threads, CancellationToken cancellation)
    {
        options.Validate();
        if (data.Count < 2) throw new ArgumentException($"'{data.Name}' has {data.Count} images; training needs at least 2.");
        var device = ComputeDevice.Resolve(options.Device);
        var clock = Stopwatch.StartNew();
        var checkpoint = checkpoints?.LoadLatest();
        var (runOptions, planned) = PlanBudget(data, device, checkpoint, progress, cancellation);
        var precision = ChoosePrecision(runOptions, data, device, checkpoint);
        using var run = new RunState(runOptions with { Precision = precision.Name }, data, device, precision);
        progress?.Report(new TrainingMessage($"Training on {device.type} ({ComputeDevice.Describe()}); {data.Count} images, backbone {run.Options.Backbone}, augmentation {options.Augmentation.ToSpec()}, stage-1 objective {options.ParsedObjective.ToSpec()}."));
        progress?.Report(new TrainingMessage($"Precision {precision.Name}: {precision.Reason}."));

        if (checkpoint is not null)
        {
            run.Restore(checkpoint.State);
            progress?.Report(new TrainingMessage($"Resumed from the checkpoint after epoch {run.GlobalEpoch} of {run.TotalEpochs}."));
        }

        var eta = new TrainingEta(run.Options.EpochsPerStage);
        var cadence = new ReportingCadence(options);
        var lastLoss = double.NaN;
        for (var stageIndex = 0; stageIndex < run.Stages.Count; stageIndex++)
        {
            var stage = run.Stages[stageIndex];
            if (run.GlobalEpoch >= stage.FirstGlobalEpoch + stage.Epochs) continue;
            run.EnterStage(stage);
            for (var epoch = run.GlobalEpoch - stage.FirstGlobalEpoch; epoch < run.Stages[stageIndex].Epochs; epoch++)
            {
                stage = run.Stages[stageIndex];
                if (threads.Rebalance())
                    progress?.Report(new TrainingMessage($"libtorch threads: {threads.Threads} of {Environment.ProcessorCount} cores, now that {threads.Trainings} training{(threads.Trainings == 1 ? "" : "s")} share this machine."));
                var epochClock = Stopwatch.StartNew();
                var learningRate = LearningRateSchedule.At(epoch, stage.Epochs, stage.Warmup, stage.LearningRate);
                lastLoss = run.TrainEpoch(stage, epoch, learningRate, progress, cancellation);
                run.GlobalEpoch++;
                var trainingSeconds = epochClock.Elapsed.TotalSeconds;
                if (planned?.Observe(stage.Number, trainingSeconds, run.GlobalEpoch) is { } replanned)
                {
                    run.Reschedule(replanned.EpochsPerStage);
                    eta.Reschedule(replanned.EpochsPerStage);
                    stage = run.Stages[stageIndex];
                    progress?.Report(new TrainingMessage($"Re-planned ({replanned.Reason}): {replanned.RemainingSummary(run.GlobalEpoch)}; the run still ends within its budget."));
                }

                // Snapshot epochs also score the subset by kNN: the 128-d output in stage 1, the 2-D map after.
                var lastOfStage = epoch == stage.Epochs - 1;
                var snapshotDue = options.SnapshotEvery > 0 && ((epoch + 1) % options.SnapshotEvery == 0 && cadence.SnapshotAffordable || lastOfStage);
                var snapshotClock = Stopwatch.StartNew();
                var snapshot = snapshotDue && stage.Number >= 2 ? run.Snapshot(stage.Number, epoch) : null;
                var knn = !snapshotDue ? null
                    : snapshot is not null ? SnapshotKnn.Accuracy(MapPoints.FromColumns(snapshot.X, snapshot.Y), snapshot.Labels)
                    : run.SubsetKnnAccuracy();
                if (snapshotDue) cadence.SnapshotTaken(snapshotClock.Elapsed.TotalSeconds);

                var epochSeconds = epochClock.Elapsed.TotalSeconds;
                eta.Add(stage.Number, epochSeconds);
                var estimate = eta.Estimate(run.GlobalEpoch);
                progress?.Report(new EpochCompleted(stage.Number, epoch, stage.Epochs, run.GlobalEpoch, run.TotalEpochs, lastLoss,
                    learningRate, data.Count / Math.Max(trainingSeconds, 1e-9), clock.Elapsed, estimate?.Remaining)
                {
                    KnnAccuracy = knn, EpochSeconds = epochSeconds, Eta = estimate,
                });
                if (snapshot is not null) progress?.Report(snapshot);
                if (checkpoints is not null && cadence.CheckpointDue(run.GlobalEpoch, lastOfStage))
                {
                    checkpoints.Save(new TrainingCheckpoint(run.GlobalEpoch, run.Capture(), DateTime.UtcNow));
                    cadence.CheckpointSaved(run.GlobalEpoch);
                    progress?.Report(new CheckpointSaved(stage.Number, epoch, run.GlobalEpoch));
                }
            }
        }

        var model = run.ToModel();
        var coordinates = model.Transform(data);
        return new TrainingResult(model, coordinates, clock.Elapsed, lastLoss)
        {
            Options = options.BudgetMinutes is null ? null : run.Options with { BudgetMinutes = null },
            Plan = planned?.Plan,
        };
    }

    /// <summary>
    /// For a budget run, the options it trains with: a resumed run keeps its checkpoint's plan; a new one probes this
    /// machine and plans (<see cref="BudgetPlanning"/>). Other runs train with their own options.
    /// </summary>
    private (TrainingOptions Options, PlannedRun? Planned) PlanBudget(ImageDataset data, Device device, TrainingCheckpoint? checkpoint,
        IProgress<TrainingEvent>? progress, CancellationToken cancellation)
    {
        if (options.BudgetMinutes is not { } minutes) return (options, null);
        if (checkpoint is not null && RunState.SavedSettings(checkpoint.State) is { } saved)
        {
            var adopted = CheckpointSettings.AdoptPlan(saved, options);
            progress?.Report(new TrainingMessage($"Budget run resumed with its plan: {adopted.Backbone}, {adopted.Precision}, epochs {string.Join("/", adopted.EpochsPerStage)}."));
            return (adopted, null);
        }
        var clock = Stopwatch.StartNew();
        var budgetSeconds = minutes * 60;
        var size = Math.Min(data.Height, data.Width);
        var bf16Pays = device.type != DeviceType.CPU || ComputePrecision.Bf16CpuFlags().Count > 0;
        var (plan, probed) = BudgetPlanning.Plan(options, data.Count, data.Channels, size, budgetSeconds * (1 - ScoringShare), device, bf16Pays, cancellation);
        // The probe's own time comes out of the budget, too.
        var trainingSeconds = budgetSeconds * (1 - ScoringShare) - clock.Elapsed.TotalSeconds;
        if (trainingSeconds < plan.ExpectedSeconds)
            plan = SchedulePlanner.Plan(Math.Max(1, trainingSeconds), data.Count, [probed.Single(p => p.Backbone == plan.Backbone && p.Precision == plan.Precision)], ScheduleShape.Get(options.ScheduleShape));
        var end = DateTime.Now.AddSeconds(plan.ExpectedSeconds + budgetSeconds * ScoringShare);
        progress?.Report(new TrainingMessage($"Probe ({clock.Elapsed.TotalSeconds:F1} s): " + string.Join(", ", probed.Select(p => $"{p.Backbone} {p.Precision} {p.ImagesPerSecond:F0} images/s")) + "."));
        progress?.Report(new TrainingMessage($"Plan for a {minutes:G4}-minute budget: {plan.Summary}, expected to end about {end:HH:mm} ({plan.Reason})."));
        var fineTune = options.FineTuneLearningRate
            ?? (ScheduleShape.Get(plan.Shape).FineTuneRateFraction is { } fraction
                ? options.EffectiveLearningRate * fraction
                : (options with { EpochsPerStage = plan.EpochsPerStage, FineTuneLearningRate = null }).EffectiveFineTuneLearningRate);
        var planned = options with
        {
            Backbone = plan.Backbone, Precision = plan.Precision, EpochsPerStage = plan.EpochsPerStage, FineTuneLearningRate = fineTune,
        };
        return (planned, new PlannedRun(plan, trainingSeconds));
    }

    /// <summary>
    /// The share of a budget kept for what follows training: embedding every image and scoring the map (kNN over
    /// ten splits, leave-one-out, silhouette, the features' linear probe).
    /// </summary>
    public const double ScoringShare = 0.05;

    /// <summary>
    /// The run's precision. "auto" resuming from a checkpoint keeps the checkpoint's precision (a new probe could pick the
    /// other one and the checkpoint would no longer match); otherwise "auto" probes a few steps of this run's network.
    /// </summary>
    private static PrecisionChoice ChoosePrecision(TrainingOptions options, ImageDataset data, Device device, TrainingCheckpoint? checkpoint)
    {
        if (ComputePrecision.Normalize(options.Precision) == ComputePrecision.Auto && checkpoint is not null
            && RunState.SavedSettings(checkpoint.State) is { } saved)
            return new PrecisionChoice(CheckpointSettings.SavedPrecision(saved), "auto: as the checkpoint this run continues");
        var probeBatch = Math.Clamp(Math.Min(options.BatchSize, data.Count), 4, BudgetPlanning.ProbeBatch);
        return ComputePrecision.Resolve(options.Precision, device, computeType =>
            ThroughputBenchmark.Probe(device, options.Backbone, data.Channels, Math.Min(data.Height, data.Width), probeBatch,
                options.Augmentation, computeType, channelsLast: computeType == ScalarType.BFloat16));
    }

    /// <summary>One stage of the schedule.</summary>
    internal sealed record StagePlan(int Number, int Epochs, int FirstGlobalEpoch, double LearningRate, int Warmup, int OutputDim, bool OnlyOutputLayer);

    /// <summary>Everything that changes while training; disposed at the end of the run.</summary>
    private sealed class RunState : IDisposable
    {
        private const string CheckpointMagic = "MEDVIS-CKPT-2";
        private const string LegacyCheckpointMagic = "MEDVIS-CKPT-1"; // written before checkpoints carried their settings
        private TrainingOptions options;
        private readonly ImageDataset data;
        private readonly Device device;
        private readonly Generator generator;
        private readonly Tensor images;
        private readonly BatchAugmenter augmenter;
        private readonly StageOneLoss stageOneLoss;
        private readonly float[] mean, std, borderColor;
        private readonly int[] snapshotIndices;
        private TSimCneNetwork network;
        private readonly PrecisionChoice precision;
        private MomentumSgd? optimizer;
        private int optimizerStage;

        // options carry the resolved precision ("fp32" or "bf16").
        public RunState(TrainingOptions options, ImageDataset data, Device device, PrecisionChoice precision)
        {
            this.precision = precision;
            this.options = options;
            this.data = data;
            this.device = device;
            generator = new Generator((ulong)options.Seed, CPU);
            images = ImageTensors.ToDevice(data, device);
            (mean, std) = ImageTensors.ChannelStatistics(data);
            borderColor = Augmentation.BorderColor.Compute(data);
            augmenter = new BatchAugmenter(options.Augmentation, borderColor.Select(c => c / 255f).ToArray(), generator);
            stageOneLoss = new StageOneLoss(options.ParsedObjective, options.Isimed, options.PretrainLoss, generator);
            snapshotIndices = SeededSubset.Choose(data.Count, options.SnapshotSize, options.Seed);

            var spec = BackboneFactory.Spec(options.Backbone, Math.Min(data.Height, data.Width));
            network = NewNetwork(spec, options.PretrainDim);
            SeededInit.Apply(network, generator);
            network.to(device);

            Stages = PlanStages(options, null);
        }

        private static StagePlan[] PlanStages(TrainingOptions options, IReadOnlyList<StagePlan>? keepWarmupOf)
        {
            var rate = options.EffectiveLearningRate;
            var e = options.EpochsPerStage;
            int Warmup(int stage, int epochs) => keepWarmupOf?[stage - 1].Warmup ?? LearningRateSchedule.WarmupEpochs(10, epochs);
            return
            [
                new StagePlan(1, e[0], 0, rate, Warmup(1, e[0]), options.PretrainDim, false),
                new StagePlan(2, e[1], e[0], rate, 0, 2, true),
                new StagePlan(3, e[2], e[0] + e[1], options.EffectiveFineTuneLearningRate, Warmup(3, e[2]), 2, false),
            ];
        }

        /// <summary>
        /// New epoch counts from a re-plan. The warm-ups stay as first planned, so a stage in its warm-up does not jump;
        /// the cosine of each stage is taken over its new length from the next epoch on.
        /// </summary>
        public void Reschedule(IReadOnlyList<int> epochsPerStage)
        {
            options = options with { EpochsPerStage = epochsPerStage.ToArray() };
            Stages = PlanStages(options, Stages);
        }

        /// <summary>The options in force (a re-plan changes the epochs).</summary>
        public TrainingOptions Options => options;

        private TSimCneNetwork NewNetwork(ResNetSpec spec, int outputDim) =>
            new(spec, data.Channels, options.HiddenDim, outputDim) { ComputeType = precision.ComputeType, ChannelsLast = precision.ChannelsLast };

        public IReadOnlyList<StagePlan> Stages { get; private set; }
        public int TotalEpochs => options.EpochsPerStage.Sum();
        public int GlobalEpoch { get; set; }

        /// <summary>Swaps in the stage's output layer and freezing; a new optimiser per stage (momentum reset), as the reference.</summary>
        public void EnterStage(StagePlan stage)
        {
            if (network.OutputDim != stage.OutputDim)
            {
                var next = network.WithNewOutputLayer(stage.OutputDim, NewOutputLayerStd, generator);
                network.Dispose();
                network = next;
                network.to(device);
            }
            network.TrainOnlyOutputLayer(stage.OnlyOutputLayer);
            if (optimizerStage != stage.Number)
            {
                optimizer?.Dispose();
                optimizer = CreateOptimizer(stage);
                optimizerStage = stage.Number;
            }
        }

        private MomentumSgd CreateOptimizer(StagePlan stage)
        {
            var trainable = stage.OnlyOutputLayer ? network.OutputLayerParameters() : network.parameters();
            return new MomentumSgd(trainable, stage.LearningRate, Momentum, WeightDecay);
        }

        /// <summary>One pass over the data in random order; returns the mean loss.</summary>
        public double TrainEpoch(StagePlan stage, int epoch, double learningRate, IProgress<TrainingEvent>? progress, CancellationToken cancellation)
        {
            optimizer!.LearningRate = learningRate;
            network.train();
            using var order = randperm(data.Count, generator: generator);
            var batchSize = Math.Min(options.BatchSize, data.Count);
            // A last batch of one image has no negatives; the reference keeps small last batches, we drop only that case.
            var steps = data.Count / batchSize + (data.Count % batchSize >= 2 ? 1 : 0);
            var reportEvery = Math.Max(1, steps / 10);
            using var lossSum = zeros(1, dtype: ScalarType.Float64, device: device);
            using var one = 1.0.ToScalar();
            for (var step = 0; step < steps; step++)
            {
                cancellation.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var count = Math.Min(batchSize, data.Count - step * batchSize);
                var indices = order.narrow(0, step * batchSize, count).to(device);
                var batch = ImageTensors.Batch(images, indices);
                var loss = ContrastiveStep.Step(optimizer, stage.Number == 1
                    ? stageOneLoss.Compute(network, augmenter, batch, mean, std)
                    : ContrastiveStep.Loss(network, augmenter, batch, mean, std, ContrastiveMetric.Cauchy));
                lossSum.add_(loss.detach().to_type(ScalarType.Float64), one);
                if (progress is not null && (step + 1) % reportEvery == 0)
                    progress.Report(new StepProgress(stage.Number, epoch, step + 1, steps, loss.item<float>()));
            }
            var meanLoss = lossSum.item<double>() / steps;
            if (!double.IsFinite(meanLoss))
                throw new InvalidOperationException($"Training diverged in stage {stage.Number}, epoch {epoch + 1} (loss {meanLoss}); try a lower learning rate.");
            return meanLoss;
        }

        /// <summary>2-d coordinates of the fixed snapshot subset, in eval mode.</summary>
        public EmbeddingSnapshot Snapshot(int stage, int epoch)
        {
            var subset = data.Subset(snapshotIndices);
            var (x, y) = MapPoints.Columns(Embed(subset));
            return new EmbeddingSnapshot(stage, epoch, GlobalEpoch, snapshotIndices, subset.Labels, x, y);
        }

        /// <summary>kNN accuracy of the current network's output (128-d in stage 1) on the fixed snapshot subset.</summary>
        public double? SubsetKnnAccuracy()
        {
            var subset = data.Subset(snapshotIndices);
            return SnapshotKnn.Accuracy(Embed(subset), subset.Labels);
        }

        private float[,] Embed(ImageDataset subset)
        {
            // The model wrapper switches the network to eval mode; switch back for training afterwards.
            var model = new TSimCneModel(network, device, Metadata());
            var coordinates = model.Transform(subset);
            network.train();
            return coordinates;
        }

        private ModelMetadata Metadata() =>
            new(options, network.Spec, data.Channels, data.Height, data.Width, mean, std, borderColor, data.ClassNames);

        /// <summary>Hands the network over to a model (so disposing this state leaves it alive).</summary>
        public TSimCneModel ToModel()
        {
            var model = new TSimCneModel(network, device, Metadata());
            network = null!;
            return model;
        }

        public byte[] Capture()
        {
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(CheckpointMagic);
                writer.Write(CheckpointSettings.Describe(options, data));
                writer.Write(GlobalEpoch);
                writer.Write((int)network.OutputDim);
                writer.Write(optimizerStage);
                using var rngState = generator.get_state();
                var rngBytes = rngState.data<byte>().ToArray();
                writer.Write(rngBytes.Length);
                writer.Write(rngBytes);
                network.save(writer);
                writer.Write(optimizer is not null);
                optimizer?.Save(writer);
            }
            return stream.ToArray();
        }

        public void Restore(byte[] state)
        {
            using var reader = new BinaryReader(new MemoryStream(state));
            var magic = reader.ReadString();
            if (magic is not (CheckpointMagic or LegacyCheckpointMagic)) throw new InvalidDataException("The checkpoint is not a Medvis training checkpoint.");
            if (magic == CheckpointMagic) CheckpointSettings.EnsureSame(reader.ReadString(), CheckpointSettings.Describe(options, data));
            GlobalEpoch = reader.ReadInt32();
            var outputDim = reader.ReadInt32();
            var savedStage = reader.ReadInt32();
            if (GlobalEpoch > TotalEpochs) throw new InvalidDataException($"The checkpoint is after epoch {GlobalEpoch}, beyond this run's {TotalEpochs} epochs.");
            var rngBytes = reader.ReadBytes(reader.ReadInt32());
            using (var rngState = tensor(rngBytes, ScalarType.Byte)) generator.set_state(rngState);
            if (network.OutputDim != outputDim)
            {
                network.Dispose();
                network = NewNetwork(BackboneFactory.Spec(options.Backbone, Math.Min(data.Height, data.Width)), outputDim);
            }
            network.load(reader);
            network.to(device);
            if (reader.ReadBoolean() && savedStage > 0)
            {
                // The optimiser only carries over when the run stopped inside that stage; a new stage starts a new one.
                var stage = Stages[savedStage - 1];
                var epochsIntoStage = GlobalEpoch - stage.FirstGlobalEpoch;
                if (epochsIntoStage > 0 && epochsIntoStage < stage.Epochs)
                {
                    network.TrainOnlyOutputLayer(stage.OnlyOutputLayer);
                    optimizer = CreateOptimizer(stage);
                    optimizer.Load(reader);
                    optimizerStage = savedStage;
                }
            }
        }

        /// <summary>The settings JSON a checkpoint records; null for checkpoints that predate it or are not Medvis checkpoints.</summary>
        public static string? SavedSettings(byte[] state)
        {
            using var reader = new BinaryReader(new MemoryStream(state));
            try { return reader.ReadString() == CheckpointMagic ? reader.ReadString() : null; }
            catch (EndOfStreamException) { return null; }
        }

        public void Dispose()
        {
            optimizer?.Dispose();
            network?.Dispose();
            augmenter.Dispose();
            images.Dispose();
            generator.Dispose();
        }
    }
}

/// <summary>A finished run: the model and the 2-D coordinates (N×2, dataset order) of the training images.</summary>
public sealed record TrainingResult(TSimCneModel Model, float[,] Coordinates, TimeSpan Duration, double FinalLoss)
{
    /// <summary>The options the run trained with: a budget run's planned backbone, precision and epochs, without the budget (null: the options given).</summary>
    public TrainingOptions? Options { get; init; }
    /// <summary>A budget run's plan as it ended (after any re-plans); null for fixed epochs or a resumed budget run.</summary>
    public Planning.SchedulePlan? Plan { get; init; }
    /// <summary>How many native libtorch errors the run recovered from by continuing from a checkpoint (0 in a healthy run).</summary>
    public int NativeErrorsRecovered { get; init; }
}
