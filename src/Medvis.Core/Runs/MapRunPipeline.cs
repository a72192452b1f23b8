using System.Diagnostics;
using Medvis.Core.Compute;
using Medvis.Core.Data;
using Medvis.Core.Evaluation;
using Medvis.Core.Training;
using TorchSharp;

namespace Medvis.Core.Runs;

/// <summary>The outcome of a finished map run.</summary>
/// <param name="Metrics">The map's scores.</param>
/// <param name="Card">Its reproducibility card.</param>
/// <param name="Duration">Training time, summed over resumptions.</param>
/// <param name="FinalLoss">The last epoch's loss.</param>
public sealed record MapRunOutcome(MetricsReport Metrics, RunCard Card, TimeSpan Duration, double FinalLoss);

/// <summary>
/// One map run, the same for the command line, the web app and the workers: load the split and draw the seeded
/// subset, check the settings against it, train, score the map, and hand map, model, metrics and card to a sink.
/// Hosts differ only in the loader, the sink and where progress goes.
/// </summary>
public sealed class MapRunPipeline(IDatasetLoader datasets, IMapTrainer trainer)
{
    /// <summary>Loads and checks, trains (resuming from the sink's checkpoint), scores and saves one map.</summary>
    /// <param name="request">The data and the settings.</param>
    /// <param name="sink">Where checkpoints and artifacts go.</param>
    /// <param name="progress">Training events; a message names the data first.</param>
    /// <param name="cancellation">Stops training at the next step; the checkpoint stays.</param>
    /// <param name="expectedContentHash">A card's dataset hash: a split whose content differs is refused before training.</param>
    /// <exception cref="InvalidSettingsException">Settings that cannot be used with this data, field by field.</exception>
    /// <exception cref="DatasetMismatchException">The data differ from <paramref name="expectedContentHash"/>.</exception>
    public MapRunOutcome Run(MapRunRequest request, IMapRunSink sink, IProgress<TrainingEvent> progress,
        CancellationToken cancellation, string? expectedContentHash = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sink);
        var clock = Stopwatch.StartNew();
        var selection = request.Dataset;
        var options = request.Options;
        var split = datasets.Load(selection.Spec, selection.ImageSize, selection.Split);
        MapRunValidation.Check(request, split.Count);
        var contentHash = DatasetFingerprint.Of(split);
        if (expectedContentHash is not null && expectedContentHash != contentHash)
            throw new DatasetMismatchException(selection.Spec, expectedContentHash, contentHash);

        var indices = SeededSubset.Choose(split.Count, selection.MaxImages, options.Seed);
        var images = indices.Length == split.Count ? split : split.Subset(indices);
        progress.Report(new TrainingMessage($"Training on {images.Count} images of {split.Name} ({selection.Split.ToString().ToLowerInvariant()})."));

        var result = trainer.Train(images, options, progress, sink.Checkpoints, cancellation);
        using var model = result.Model;
        var map = new MapCoordinates(images.SourceIndices, images.Labels, images.ClassNames, result.Coordinates);
        var metrics = MapEvaluator.Evaluate(result.Coordinates, images)
            .WithMethod(MethodLabel(options));
        metrics = metrics with { Timings = metrics.Timings with { EmbeddingSeconds = result.Duration.TotalSeconds } };
        progress.Report(new TrainingMessage("Scoring the backbone features: 10-fold linear-probe ROC-AUC and positional R²."));
        metrics = WithModelScores(metrics, model, images, progress);
        var baseline = request.PixelBaseline ? PixelBaselineOf(images, progress, cancellation) : null;
        if (baseline is { } pixels)
        {
            metrics = metrics with { Baseline = BaselineComparison.Of(metrics, pixels.Metrics) };
            progress.Report(new TrainingMessage(BaselineAdvice.For(metrics.Baseline, result.Options ?? options) ?? metrics.Baseline.Summary + "."));
        }

        var dataset = new RunCardDataset(selection.Spec, split.Name, selection.Split, selection.ImageSize, selection.MaxImages,
            split.Count, images.Count, $"{split.Channels}×{split.Height}×{split.Width}", contentHash);
        var scoring = new RunCardEvaluation(EvaluationSplitMethod, metrics.TestFraction, metrics.SplitSeed,
            metrics.TrainCount, metrics.TestCount, metrics.K);
        var machine = new RunCardMachine(ComputeDevice.Resolve(options.Device).ToString(), model.Precision,
            Environment.ProcessorCount, torch.get_num_threads(), Environment.MachineName,
            result.Duration.TotalSeconds, clock.Elapsed.TotalSeconds, DateTime.UtcNow);
        var card = new RunCard(BuildInfo.Current, dataset, result.Options ?? options, scoring, machine, metrics.KnnAccuracy, metrics.Silhouette,
            double.IsFinite(result.FinalLoss) ? result.FinalLoss : null) { Plan = result.Plan, BudgetMinutes = options.BudgetMinutes };
        sink.Save(new MapRunArtifacts(map, model, metrics, card)
        {
            PixelBaseline = baseline is { } b ? (new MapCoordinates(images.SourceIndices, images.Labels, images.ClassNames, b.Coordinates), b.Metrics) : null,
        });
        return new MapRunOutcome(metrics, card, result.Duration, result.FinalLoss);
    }

    /// <summary>
    /// The model's scores added to the map's metrics. The probe's optimiser (TorchSharp's Adam) makes Scalars of its
    /// own, so a sporadic native error (see docs/platform-notes.md, 3) may hit it: the scores are computed
    /// again (they are deterministic), and after <see cref="ScoringAttempts"/> failures the map is kept without them
    /// rather than failing a trained run.
    /// </summary>
    private static MetricsReport WithModelScores(MetricsReport metrics, TSimCneModel model, Data.ImageDataset images, IProgress<TrainingEvent> progress)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return ModelScores.AddTo(metrics, model, images);
            }
            catch (System.Runtime.InteropServices.ExternalException e) when (attempt < ScoringAttempts)
            {
                progress.Report(new TrainingMessage($"Scoring hit a native error ({e.Message.Split('\n')[0]}); computing it again."));
            }
            catch (System.Runtime.InteropServices.ExternalException e)
            {
                progress.Report(new TrainingMessage($"Scoring failed {ScoringAttempts} times ({e.Message.Split('\n')[0]}); the map is kept without the linear probe and positional R²."));
                return metrics;
            }
        }
    }

    private const int ScoringAttempts = 3;

    private static (float[,] Coordinates, MetricsReport Metrics)? PixelBaselineOf(Data.ImageDataset images, IProgress<TrainingEvent> progress, CancellationToken cancellation)
    {
        progress.Report(new TrainingMessage($"Embedding the pixels of the same {images.Count} images with t-SNE: the baseline this map is compared with."));
        var baseline = PixelBaseline.Compute(images, cancellation);
        if (baseline is null)
            progress.Report(new TrainingMessage($"No pixel baseline: {images.Count} images are more than the {PixelBaseline.MaxImages} it embeds."));
        return baseline;
    }

    /// <summary>
    /// How metrics name a map: the method and its augmentation, e.g. "t-SimCNE (rotate,-grayscale)"; another stage-1
    /// objective is named too, e.g. "t-SimCNE (natural; stage 1: isimed)".
    /// </summary>
    public static string MethodLabel(TrainingOptions options) =>
        options.Objective == TrainingObjective.TSimCne
            ? $"t-SimCNE ({options.Augmentation.ToSpec()})"
            : $"t-SimCNE ({options.Augmentation.ToSpec()}; stage 1: {options.Objective})";

    private const string EvaluationSplitMethod = "scikit-learn train_test_split(stratify=labels, test_size, random_state=seed)";
}

/// <summary>A dataset whose content differs from the one a run card was made with.</summary>
public sealed class DatasetMismatchException(string spec, string expected, string actual)
    : ArgumentException($"{spec}: its content hash {actual} differs from the card's {expected}: this is not the data the map was trained on.")
{
    /// <summary>The hash the card holds.</summary>
    public string Expected { get; } = expected;
    /// <summary>The hash of the data found.</summary>
    public string Actual { get; } = actual;
}
