using System.CommandLine;
using System.Globalization;
using Medvis.Cli.Output;
using Medvis.Core.Augmentation;
using Medvis.Core.Data;
using Medvis.Core.Evaluation;
using Medvis.Core.Models;
using Medvis.Core.Training;
using Spectre.Console;

namespace Medvis.Cli.Commands;

/// <summary>
/// <c>medvis train</c>: trains t-SimCNE on a dataset and writes coords.csv, model.bin and metrics.json to
/// <c>--out</c>; checkpoints go to <c>--out/checkpoint</c> so a cancelled run (Ctrl+C) can resume.
/// </summary>
public static class TrainCommand
{
    /// <summary>The backbones the CLI offers.</summary>
    public static IReadOnlyList<string> Backbones => BackboneFactory.Names;

    /// <summary>The command's options; one set per command instance (symbols must not be shared between trees).</summary>
    private sealed class Arguments
    {
        public readonly Option<string> Preset = new("--preset") { Description = "cpu-quick (the defaults) | cpu-budget (small backbone, 70,5,90, stage 3 at lr/10, rotate without random greyscale: 12k images in ~35 min on 2 cores) | paper (resnet18, batch 1024, 1000,50,450); other options override it", DefaultValueFactory = _ => "cpu-quick" };
        public readonly Option<string> Data = new("--data") { Description = DatasetCatalog.SpecHelp, Required = true };
        public readonly Option<string> Split = new("--split") { Description = "train | val | test | all", DefaultValueFactory = _ => "train" };
        public readonly Option<int> ImageSize = new("--image-size") { Description = "Image side in pixels for folders and the demo", DefaultValueFactory = _ => 28 };
        public readonly Option<string?> Augment = new("--augment") { Description = AugmentationOptions.SpecHelp + " (default: the preset's; rotate for cpu-quick and paper, rotate,-grayscale for cpu-budget)" };
        public readonly Option<string> Epochs = new("--epochs") { Description = $"Epochs of the three stages (default {string.Join(',', new TrainingOptions().EpochsPerStage)}; the paper: 1000,50,450)" };
        public readonly Option<int?> Batch = new("--batch") { Description = $"Batch size (default {new TrainingOptions().BatchSize})" };
        public readonly Option<string> Backbone = new("--backbone") { Description = string.Join(" | ", BackboneFactory.Names), DefaultValueFactory = _ => new TrainingOptions().Backbone };
        public readonly Option<string?> LearningRate = new("--lr") { Description = $"Base learning rate, or 'auto' for the reference's 0.03·batch/256 (default {new TrainingOptions().LearningRate})" };
        public readonly Option<string?> FineTuneLearningRate = new("--fine-tune-lr") { Description = "Stage 3 learning rate, or 'auto' (default): lr/1000 for a 450-epoch stage 3, scaled up for shorter ones" };
        public readonly Option<int> Seed = new("--seed") { Description = "Random seed", DefaultValueFactory = _ => 0 };
        public readonly Option<string> Device = new("--device") { Description = "auto | cpu | cuda", DefaultValueFactory = _ => "auto" };
        public readonly Option<string?> Precision = new("--precision") { Description = "fp32 | bf16 (mixed precision: bf16 forward/backward, fp32 weights, step, loss and batch-norm statistics) | auto (bf16 where the CPU has amx_bf16/avx512_bf16, or on CUDA, and a short probe measures it faster); default: the preset's (fp32)" };
        public readonly Option<string> Out = new("--out") { Description = "Folder for coords.csv, model.bin, metrics.json and the checkpoint", Required = true };
    }

    /// <summary>The <c>train</c> command.</summary>
    public static Command Create()
    {
        var args = new Arguments();
        var command = new Command("train", "Train a t-SimCNE map of a dataset.")
        {
            args.Preset, args.Data, args.Split, args.ImageSize, args.Augment, args.Epochs, args.Batch, args.Backbone, args.LearningRate,
            args.FineTuneLearningRate, args.Seed, args.Device, args.Precision, args.Out,
        };
        command.SetAction((parse, cancellation) => CommandErrors.GuardAsync(parse, () => RunAsync(parse, args, cancellation)));
        return command;
    }

    /// <summary>The validated options <c>medvis train &lt;arguments&gt;</c> would train with (no data is loaded).</summary>
    /// <exception cref="ArgumentException">For unparsable or invalid arguments, naming the problem.</exception>
    public static TrainingOptions ParseTrainingOptions(IReadOnlyList<string> arguments)
    {
        var args = new Arguments();
        var command = new Command("train") { args.Preset, args.Data, args.Split, args.ImageSize, args.Augment, args.Epochs, args.Batch,
            args.Backbone, args.LearningRate, args.FineTuneLearningRate, args.Seed, args.Device, args.Precision, args.Out };
        var parse = command.Parse(arguments);
        if (parse.Errors.Count > 0) throw new ArgumentException(string.Join(" ", parse.Errors.Select(e => e.Message)));
        return ParseOptions(parse, args);
    }

    /// <summary>The validated training options the command line asks for.</summary>
    /// <exception cref="ArgumentException">Naming every bad value.</exception>
    private static TrainingOptions ParseOptions(ParseResult parse, Arguments args)
    {
        var defaults = PresetOptions(parse.GetValue(args.Preset)!);
        var backbone = (parse.GetResult(args.Backbone) is { Implicit: false } ? parse.GetValue(args.Backbone)! : defaults.Backbone).Trim().ToLowerInvariant();
        if (!Backbones.Contains(backbone))
            throw new ArgumentException($"Unknown backbone '{backbone}': use {string.Join(", ", Backbones)}.");
        var options = new TrainingOptions
        {
            Augmentation = parse.GetValue(args.Augment) is { } augment ? AugmentationOptions.Parse(augment) : defaults.Augmentation,
            Backbone = backbone,
            BatchSize = parse.GetValue(args.Batch) ?? defaults.BatchSize,
            EpochsPerStage = parse.GetValue(args.Epochs) is { } epochs ? ParseEpochs(epochs) : defaults.EpochsPerStage,
            LearningRate = ParseLearningRate(parse.GetValue(args.LearningRate), defaults.LearningRate),
            FineTuneLearningRate = ParseLearningRate(parse.GetValue(args.FineTuneLearningRate), defaults.FineTuneLearningRate, "--fine-tune-lr"),
            Seed = parse.GetValue(args.Seed),
            Device = ParseDevice(parse.GetValue(args.Device)!),
            Precision = parse.GetValue(args.Precision) ?? defaults.Precision,
            SnapshotEvery = defaults.SnapshotEvery,
            CheckpointEvery = defaults.CheckpointEvery,
        };
        return options.Validate();
    }

    /// <summary>The options a named preset starts from.</summary>
    public static TrainingOptions PresetOptions(string name) => name.Trim().ToLowerInvariant() switch
    {
        "cpu-quick" or "quick" => new TrainingOptions(),
        "cpu-budget" or "budget" => TrainingOptions.CpuBudget,
        "paper" => TrainingOptions.Paper,
        _ => throw new ArgumentException($"Unknown preset '{name}': use cpu-quick, cpu-budget or paper."),
    };

    /// <summary>A number, "auto" (the rule <see cref="TrainingOptions"/> documents) or nothing (<paramref name="fallback"/>).</summary>
    public static double? ParseLearningRate(string? text, double? fallback, string optionName = "--lr")
    {
        if (text is null) return fallback;
        if (text.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase)) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate)
            ? rate
            : throw new ArgumentException($"{optionName} '{text}' is neither a number nor 'auto'.");
    }

    /// <summary>"30,5,15" → [30, 5, 15].</summary>
    public static int[] ParseEpochs(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var epochs = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out epochs[i]))
                throw new ArgumentException($"Bad --epochs '{text}': give three whole numbers, e.g. 30,5,15.");
        if (epochs.Length != 3) throw new ArgumentException($"Bad --epochs '{text}': give epochs for exactly three stages, e.g. 30,5,15.");
        return epochs;
    }

    private static string ParseDevice(string text)
    {
        var device = text.Trim().ToLowerInvariant();
        return device is "auto" or "cpu" || device.StartsWith("cuda", StringComparison.Ordinal)
            ? device
            : throw new ArgumentException($"Unknown device '{text}': use auto, cpu or cuda.");
    }

    private static async Task<int> RunAsync(ParseResult parse, Arguments args, CancellationToken cancellation)
    {
        var options = ParseOptions(parse, args);
        var spec = parse.GetValue(args.Data)!;
        var split = DatasetCatalog.ParseSplit(parse.GetValue(args.Split)!);
        var imageSize = parse.GetValue(args.ImageSize);
        if (imageSize is < 8 or > 1024) throw new ArgumentException($"--image-size {imageSize} must be between 8 and 1024.");
        var outDir = Path.GetFullPath(parse.GetValue(args.Out)!);
        var console = CliConsole.For(parse.InvocationConfiguration.Output);

        var data = DatasetCatalog.Load(spec, split, imageSize);
        Directory.CreateDirectory(outDir);
        var checkpoints = new FolderCheckpointStore(Path.Combine(outDir, "checkpoint"));
        console.MarkupLineInterpolated($"Training on [bold]{data.Name}[/]: {data.Count} images, {data.ClassNames.Count} classes, {data.Channels}×{data.Height}×{data.Width}");

        var reporter = new TrainingProgressDisplay(console, options.EpochsPerStage.Sum());
        TrainingResult result;
        try
        {
            result = await reporter.RunAsync(progress => Task.Factory.StartNew(
                () => new TSimCneTrainer(options).Train(data, progress, checkpoints, cancellation),
                cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        }
        catch (OperationCanceledException)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"cancelled, checkpoint kept in {checkpoints.Folder}");
            return CliApp.CancelledExitCode;
        }

        using (result.Model)
        {
            WriteOutputs(outDir, spec, split, data, options, result, reporter.LastImagesPerSecond);
        }
        console.MarkupLineInterpolated($"Done in {result.Duration:hh\\:mm\\:ss}, final loss {result.FinalLoss:F4}. Wrote coords.csv, model.bin, metrics.json, run.json to {outDir}");
        return 0;
    }

    private static void WriteOutputs(string outDir, string spec, DatasetSplit split, ImageDataset data, TrainingOptions options,
        TrainingResult result, double? imagesPerSecond)
    {
        CoordsCsv.Write(Path.Combine(outDir, "coords.csv"), new MapCoordinates(data.SourceIndices, data.Labels, data.ClassNames, result.Coordinates));
        var model = Path.Combine(outDir, "model.bin");
        File.WriteAllBytes(model + ".tmp", result.Model.ToBytes());
        File.Move(model + ".tmp", model, overwrite: true);
        TrainingMetrics.Write(Path.Combine(outDir, "run.json"),
            TrainingMetrics.Compute(spec, split, data, options, result, imagesPerSecond));
        var report = MapEvaluator.Evaluate(result.Coordinates, data.Labels, data.ClassNames);
        report = report.WithMethod($"t-SimCNE ({options.Augmentation.ToSpec()})") with
        {
            Timings = report.Timings with { EmbeddingSeconds = result.Duration.TotalSeconds },
        };
        File.WriteAllText(Path.Combine(outDir, "metrics.json"), report.ToJson());
    }
}
