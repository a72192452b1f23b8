using System.CommandLine;
using Medvis.Core.Augmentation;
using Medvis.Core.Evaluation;
using Medvis.Core.Training;
using Spectre.Console;

namespace Medvis.Cli.Commands;

/// <summary><c>medvis bench training</c>: training throughput (images/s) per backbone and batch size on CPU or GPU.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var backbones = new Option<string>("--backbones") { Description = "Comma-separated backbone names", DefaultValueFactory = _ => "tiny,small,resnet18" };
        var batches = new Option<string>("--batch") { Description = "Comma-separated batch sizes", DefaultValueFactory = _ => "128,256" };
        var size = new Option<int>("--size") { Description = "Image side in pixels", DefaultValueFactory = _ => 28 };
        var steps = new Option<int>("--steps") { Description = "Timed steps per configuration", DefaultValueFactory = _ => 20 };
        var augment = new Option<string>("--augment") { Description = AugmentationOptions.SpecHelp, DefaultValueFactory = _ => "rotate" };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
        var training = new Command("training", "Training throughput (two augmented views, forward, backward, SGD step) per backbone and batch size")
        {
            backbones, batches, size, steps, device, augment,
        };
        training.SetAction((parse, cancellation) =>
        {
            var augmentation = AugmentationOptions.Parse(parse.GetValue(augment)!);
            var batchSizes = parse.GetValue(batches)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(text => int.TryParse(text, out var batchSize) ? batchSize : throw new ArgumentException($"--batch: '{text}' is not a whole number"))
                .ToArray();
            var measurements = ThroughputBenchmark.Run(parse.GetValue(backbones)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                batchSizes, parse.GetValue(size), parse.GetValue(steps), parse.GetValue(device)!, augmentation, cancellation);
            var table = new Table().AddColumns("device", "backbone", "image", "batch", "images/s", "s/step");
            AnsiConsole.Live(table).Start(context =>
            {
                foreach (var m in measurements)
                {
                    table.AddRow(m.Device, m.Backbone, $"{m.ImageSize}px", m.BatchSize.ToString(), m.ImagesPerSecond.ToString("F0"), m.SecondsPerStep.ToString("F3"));
                    context.Refresh();
                }
            });
            return Task.FromResult(0);
        });
        var points = new Option<int>("--points") { Description = "Points in the synthetic 2-D map", DefaultValueFactory = _ => 100_000 };
        var classes = new Option<int>("--classes") { Description = "Classes in the synthetic map", DefaultValueFactory = _ => 9 };
        var metrics = new Command("metrics", "kNN accuracy + silhouette timing on a synthetic 2-D map (100,000 points, 9 classes)") { points, classes };
        metrics.SetAction(parse =>
        {
            var timing = EvaluationBenchmark.MapMetrics(parse.GetValue(points), parse.GetValue(classes));
            AnsiConsole.MarkupLineInterpolated($"{timing.Points} points, {timing.Classes} classes: kNN {timing.KnnSeconds:F2} s, silhouette {timing.SilhouetteSeconds:F2} s, total {timing.TotalSeconds:F2} s");
            return 0;
        });
        var tsnePoints = new Option<int>("--points") { Description = "Random points", DefaultValueFactory = _ => 12_000 };
        var dims = new Option<int>("--dims") { Description = "Dimensions", DefaultValueFactory = _ => 784 };
        var tsne = new Command("tsne", "t-SNE timing on random points (12,000 × 784)") { tsnePoints, dims };
        tsne.SetAction(parse =>
        {
            var timing = EvaluationBenchmark.Tsne(parse.GetValue(tsnePoints), parse.GetValue(dims));
            AnsiConsole.MarkupLineInterpolated($"t-SNE of {timing.Points}×{timing.Dimensions}: preparation {timing.PreparationSeconds:F1} s, optimisation {timing.OptimisationSeconds:F1} s, total {timing.TotalSeconds:F1} s");
            return 0;
        });
        return new Command("bench", "Benchmarks") { training, metrics, tsne };
    }
}
