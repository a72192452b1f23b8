using System.CommandLine;
using System.Diagnostics;
using Medvis.Core.Data;
using Medvis.Core.Evaluation;
using Medvis.Core.Evaluation.Tsne;
using Medvis.Core.Augmentation;
using Medvis.Core.Training;

namespace Medvis.Cli.Commands;

/// <summary>
/// <c>medvis baseline tsne --data SPEC --space pixels [--split train] --out DIR</c>: the t-SNE baseline map of a
/// dataset, written as coords.csv and metrics.json in the same format as <c>medvis train</c>.
/// </summary>
public static class BaselineCommand
{
    /// <summary>Builds the <c>baseline</c> verb, opening datasets with <c>DatasetCatalog.Open(spec)</c>.</summary>
    public static Command Create() => Create(spec => DatasetCatalog.Open(spec));

    /// <summary>Builds the <c>baseline</c> verb with an explicit way to open a dataset spec (tests, other hosts).</summary>
    public static Command Create(Func<string, IDatasetSource> openDataset)
    {
        ArgumentNullException.ThrowIfNull(openDataset);
        var baseline = new Command("baseline", "Baseline maps to compare t-SimCNE against.");
        baseline.Add(CreateTsne(openDataset));
        return baseline;
    }

    private static Command CreateTsne(Func<string, IDatasetSource> openDataset)
    {
        var data = new Option<string>("--data") { Description = "Dataset: an .npz file, an image folder, or another spec the data catalogue accepts.", Required = true };
        var space = new Option<string>("--space") { Description = "Input space: pixels, or simclr (512-d SimCLR features).", DefaultValueFactory = _ => "pixels" };
        space.AcceptOnlyFromAmong("pixels", "simclr");
        var split = new Option<DatasetSplit>("--split") { Description = "Split to embed: Train, Val, Test or All.", DefaultValueFactory = _ => DatasetSplit.Train };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for coords.csv and metrics.json (created if missing).", Required = true };
        var perplexity = new Option<double>("--perplexity") { Description = "t-SNE perplexity.", DefaultValueFactory = _ => TsneOptions.Default.Perplexity };
        var simclrEpochs = new Option<int>("--simclr-epochs") { Description = "Epochs of SimCLR training for --space simclr.", DefaultValueFactory = _ => 30 };
        var backbone = new Option<string>("--backbone") { Description = "Backbone of the SimCLR network.", DefaultValueFactory = _ => "small" };
        var augment = new Option<string>("--augment") { Description = "Augmentation of the SimCLR network: " + AugmentationOptions.SpecHelp, DefaultValueFactory = _ => "rotate" };
        var maxImages = new Option<int?>("--max-images") { Description = "Embed a seeded random subset of at most this many images (the subset medvis train --max-images trains on, seed 0)" };
        var command = new Command("tsne", "t-SNE (openTSNE defaults, Barnes–Hut) of a dataset's pixels or SimCLR features, with kNN accuracy and silhouette.")
        {
            data, space, split, output, perplexity, simclrEpochs, backbone, augment, maxImages,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(RunTsne(openDataset,
            parse.GetValue(data)!, parse.GetValue(space)!, parse.GetValue(split), parse.GetValue(maxImages), parse.GetValue(output)!,
            parse.GetValue(perplexity), SimClrOptions(parse.GetValue(simclrEpochs), parse.GetValue(backbone)!, parse.GetValue(augment)!),
            cancellationToken)));
        return command;
    }

    private static int RunTsne(Func<string, IDatasetSource> openDataset, string spec, string space, DatasetSplit split, int? maxImages,
        DirectoryInfo output, double perplexity, TrainingOptions simclr, CancellationToken cancellationToken)
    {
        try
        {
            if (maxImages is < 4) throw new ArgumentException($"--max-images {maxImages} must be at least 4.");
            var dataset = openDataset(spec).Load(split);
            if (maxImages is { } most && most < dataset.Count) dataset = dataset.Subset(SeededSubset.Choose(dataset.Count, most, 0));
            if (dataset.Count < 4) throw new ArgumentException($"{dataset.Name}: {dataset.Count} images in split {split} are too few for t-SNE.");
            Console.Error.WriteLine($"t-SNE of {dataset.Count} images ({dataset.Channels}×{dataset.Height}×{dataset.Width} pixels) from {dataset.Name}, split {split}");

            var watch = Stopwatch.StartNew();
            var progress = new Progress<TsneProgress>(p => Console.Error.WriteLine($"  iteration {p.Iteration}/{p.TotalIterations}{(p.EarlyExaggeration ? " (early exaggeration)" : "")}"));
            var features = space == "simclr" ? SimClrFeatures(dataset, simclr, cancellationToken) : ImageFeatures.Pixels(dataset);
            var tsne = TsneEmbedding.Run(features, TsneOptions.Default with { Perplexity = perplexity }, progress, cancellationToken);
            var embeddingSeconds = watch.Elapsed.TotalSeconds;

            var report = MapEvaluator.Evaluate(tsne.Embedding, dataset);
            report = report.WithMethod(space == "simclr" ? $"t-SNE (SimCLR {simclr.Backbone} features)" : "t-SNE (pixels)") with { Timings = report.Timings with { EmbeddingSeconds = embeddingSeconds } };
            // The k-fold linear probe of the t-SNE's input, so a pixel baseline has the AUC the models are judged by.
            report = report with
            {
                LinearProbe = space == "simclr"
                    ? ModelScores.ProbeFeatures(dataset, ModelScoreOptions.Default with { MaxProbeImages = int.MaxValue }, _ => features, ModelScores.BackboneFeatures)
                    : ModelScores.ProbeFeatures(dataset, ModelScoreOptions.Default, subset => subset.Count == dataset.Count ? features : ImageFeatures.Pixels(subset), "pixels"),
            };
            output.Create();
            CoordsCsv.Write(Path.Combine(output.FullName, "coords.csv"),
                new MapCoordinates(dataset.SourceIndices, dataset.Labels, dataset.ClassNames, tsne.Embedding));
            File.WriteAllText(Path.Combine(output.FullName, "metrics.json"), report.ToJson());
            if (space == "simclr") WriteLinearEvaluation(features, dataset.Labels, Path.Combine(output.FullName, "linear.json"));
            Console.Out.WriteLine($"kNN accuracy {report.KnnAccuracy:F4}, silhouette {report.Silhouette:F4}, t-SNE {embeddingSeconds:F1} s → {output.FullName}");
            if (report.LinearProbe is { } probe) Console.Out.WriteLine(EvalCommand.ProbeSummary(probe));
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("medvis baseline tsne: cancelled.");
            return 130;
        }
        catch (Exception error) when (error is IOException or FormatException or ArgumentException or DatasetFormatException
                                          or NotSupportedException or InvalidOperationException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"medvis baseline tsne: {error.Message}");
            return 1;
        }
    }

    /// <summary>The paper's Table 5 number: a linear classifier on the high-dimensional features, same 9:1 split.</summary>
    private static void WriteLinearEvaluation(float[,] features, int[] labels, string path)
    {
        var linear = LinearEvaluation.Evaluate(features, labels);
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(new
        {
            method = "linear evaluation (standardised features, unpenalised multinomial logistic regression)",
            testAccuracy = linear.TestAccuracy,
            trainAccuracy = linear.TrainAccuracy,
            features = features.GetLength(1),
        }, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        Console.Out.WriteLine($"linear evaluation of the {features.GetLength(1)}-d features: test accuracy {linear.TestAccuracy:F4}");
    }

    /// <summary>SimCLR = the engine's stage 1 alone, trained with the cosine loss (temperature 0.5).</summary>
    private static TrainingOptions SimClrOptions(int epochs, string backbone, string augment) => new()
    {
        Backbone = backbone,
        EpochsPerStage = [epochs, 0, 0],
        PretrainLoss = ContrastiveMetric.Cosine,
        Augmentation = AugmentationOptions.Parse(augment),
        SnapshotEvery = 0,
    };

    /// <summary>Trains SimCLR on the images and returns their backbone features (before the projection head).</summary>
    private static float[,] SimClrFeatures(ImageDataset dataset, TrainingOptions options, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"training SimCLR ({options.Backbone}, {options.EpochsPerStage[0]} epochs) for features");
        var progress = new SynchronousProgress<TrainingEvent>(e =>
        {
            if (e is EpochCompleted epoch) Console.Error.WriteLine($"  SimCLR epoch {epoch.GlobalEpoch}/{epoch.TotalEpochs}: loss {epoch.Loss:F4}, {epoch.ImagesPerSecond:F0} images/s");
        });
        var result = new TSimCneTrainer(options.Validate()).Train(dataset, progress, cancellation: cancellationToken);
        using var model = result.Model;
        return model.Features(dataset);
    }
}
