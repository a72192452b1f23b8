using System.CommandLine;
using System.Globalization;
using Medvis.Cli.Output;
using Medvis.Core.Augmentation;
using Medvis.Core.Data;
using Medvis.Core.Data.LabelTables;
using Medvis.Core.Models;
using Medvis.Core.Runs;
using Medvis.Core.Training;
using Medvis.Core.Training.Planning;
using Spectre.Console;

namespace Medvis.Cli.Commands;

/// <summary>
/// <c>medvis train</c>: one map run (<see cref="MapRunPipeline"/>) into a folder: coords.csv, model.bin, metrics.json
/// and run.json (the reproducibility card); checkpoints go to <c>--out/checkpoint</c> so a cancelled run (Ctrl+C)
/// resumes. <c>--card run.json</c> trains the map a card describes again.
/// </summary>
public static class TrainCommand
{
    private static readonly RunPresetCatalog Presets = new();

    /// <summary>The command's options; one set per command instance (symbols must not be shared between trees).</summary>
    private sealed class Arguments
    {
        public readonly Option<string> Preset = new("--preset") { Description = PresetHelp(), DefaultValueFactory = _ => RunPresetCatalog.CpuQuick };
        public readonly Option<string?> Data = new("--data") { Description = DatasetCatalog.SpecHelp + " (required unless --card names it)" };
        public readonly Option<string?> Card = new("--card") { Description = "A run.json to reproduce: its dataset (checked by content hash), split, subset and every setting; --data may point at a moved copy of the data" };
        public readonly Option<string> Split = new("--split") { Description = "train | val | test | all", DefaultValueFactory = _ => "train" };
        public readonly Option<int> ImageSize = new("--image-size") { Description = "Image side in pixels for folders and the demo", DefaultValueFactory = _ => 28 };
        public readonly Option<int?> MaxImages = new("--max-images") { Description = "Train on a seeded random subset of at most this many images (default: the whole split)" };
        public readonly Option<string?> Augment = new("--augment") { Description = AugmentationOptions.SpecHelp + " (default: the preset's)" };
        public readonly Option<string?> Epochs = new("--epochs") { Description = "Epochs of the three stages, e.g. 40,5,15 (default: the preset's; the paper: 1000,50,450)" };
        public readonly Option<int?> Batch = new("--batch") { Description = "Batch size (default: the preset's)" };
        public readonly Option<string?> Backbone = new("--backbone") { Description = string.Join(" | ", BackboneFactory.Names) + " | auto (with a budget: the planner picks; default: the preset's)" };
        public readonly Option<string?> Budget = new("--budget") { Description = "Train within this time, e.g. 5m, 30m, 2h: a short probe picks the epochs (and the backbone with --backbone auto, the precision with --precision auto) and the run re-plans if its speed drifts; 'none' trains the epochs given (default: the preset's)" };
        public readonly Option<string?> Schedule = new("--schedule") { Description = "How a budget is split over the stages: cpu (70:5:90, stage 3 at lr/10, measured best on 2 cores) | reference (1000:50:450) (default cpu)" };
        public readonly Option<string?> LearningRate = new("--lr") { Description = $"Base learning rate, or 'auto' for the reference's 0.03·batch/256 (default: the preset's; cpu-quick {new TrainingOptions().LearningRate})" };
        public readonly Option<string?> FineTuneLearningRate = new("--fine-tune-lr") { Description = "Stage 3 learning rate, or 'auto': lr/1000 for a 450-epoch stage 3, scaled up for shorter ones (default: the preset's)" };
        public readonly Option<int?> Seed = new("--seed") { Description = "Random seed (default 0)" };
        public readonly Option<string?> Device = new("--device") { Description = "auto | cpu | cuda (default: the preset's; cpu for the cpu-* presets, auto for paper)" };
        public readonly Option<string?> Precision = new("--precision") { Description = "fp32 | bf16 (mixed precision: bf16 forward/backward, fp32 weights, step, loss and batch-norm statistics) | auto (bf16 where the CPU has amx_bf16/avx512_bf16, or on CUDA, and a short probe measures it faster); default: the preset's (fp32)" };
        public readonly Option<string?> Objective = new("--objective") { Description = TrainingObjective.SpecHelp + "; default: the preset's (tsimcne). ISImed takes 4 crops of half the image side per image unless --isimed says otherwise" };
        public readonly Option<string?> Isimed = new("--isimed") { Description = IsimedOptions.SpecHelp + " (default: crops=4,size=0.5,penalty=squared,unit=side; for images of 128 px and more e.g. crops=8,size=0.25)" };
        public readonly Option<string> Baseline = new("--baseline") { Description = "pixels: also embed the same images' pixels with t-SNE and compare (baseline-coords.csv, baseline-metrics.json, metrics.json's baseline) | none", DefaultValueFactory = _ => "pixels" };
        public readonly LabelTableOptions Labels = new();
        public readonly Option<string> Out = new("--out") { Description = "Folder for coords.csv, model.bin, metrics.json, run.json and the checkpoint", Required = true };

        /// <summary>Adds the options to <paramref name="command"/>; <c>--out</c> only for commands that write a folder.</summary>
        public Command Into(Command command, bool withOut = true)
        {
            foreach (var option in new Option[] { Preset, Data, Card, Split, ImageSize, MaxImages, Augment, Epochs, Batch, Backbone, Budget, Schedule,
                         LearningRate, FineTuneLearningRate, Seed, Device, Precision, Objective, Isimed, Baseline })
                command.Options.Add(option);
            Labels.AddTo(command);
            if (withOut) command.Options.Add(Out);
            return command;
        }
    }

    /// <summary>The <c>train</c> command.</summary>
    public static Command Create()
    {
        var args = new Arguments();
        var command = args.Into(new Command("train", "Train a t-SimCNE map of a dataset."));
        command.SetAction((parse, cancellation) => CommandErrors.GuardAsync(parse, () => RunAsync(parse, args, cancellation)));
        return command;
    }

    /// <summary>
    /// The run <c>medvis train &lt;arguments&gt;</c> (without <c>--out</c>) asks for, and the content hash a card pins
    /// its data to: what <c>medvis queue</c> stores for a lab's workers.
    /// </summary>
    /// <exception cref="ArgumentException">For unparsable or invalid arguments, naming the problem.</exception>
    internal static (MapRunRequest Request, string? ContentHash) ParseRequest(IReadOnlyList<string> arguments)
    {
        var args = new Arguments();
        var parse = args.Into(new Command("train"), withOut: false).Parse(arguments);
        if (parse.Errors.Count > 0) throw new ArgumentException(string.Join(" ", parse.Errors.Select(e => e.Message)));
        return Plan(parse, args);
    }

    /// <summary>The validated options <c>medvis train &lt;arguments&gt;</c> would train with (no data is loaded).</summary>
    /// <exception cref="ArgumentException">For unparsable or invalid arguments, naming the problem.</exception>
    public static TrainingOptions ParseTrainingOptions(IReadOnlyList<string> arguments)
    {
        var args = new Arguments();
        var parse = args.Into(new Command("train")).Parse(arguments);
        if (parse.Errors.Count > 0) throw new ArgumentException(string.Join(" ", parse.Errors.Select(e => e.Message)));
        return ParseOptions(parse, args, Presets.Get(parse.GetValue(args.Preset)!).Options);
    }

    /// <summary>The preset's options with every option given on the command line in its place, validated.</summary>
    /// <exception cref="ArgumentException">Naming every bad value.</exception>
    private static TrainingOptions ParseOptions(ParseResult parse, Arguments args, TrainingOptions defaults)
    {
        var backbone = parse.GetValue(args.Backbone)?.Trim().ToLowerInvariant() ?? defaults.Backbone;
        if (backbone != TrainingOptions.AutoBackbone && !BackboneFactory.Names.Contains(backbone))
            throw new ArgumentException($"Unknown backbone '{backbone}': use {string.Join(", ", BackboneFactory.Names)}, or auto with --budget.");
        var budget = parse.GetValue(args.Budget) is { } budgetText
            ? budgetText.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) ? null : BudgetText.ParseMinutes(budgetText)
            : defaults.BudgetMinutes;
        // Fixed epochs without a budget need a real backbone: a timed preset's "auto" falls back to the cpu default.
        if (budget is null && backbone == TrainingOptions.AutoBackbone && parse.GetValue(args.Backbone) is null) backbone = new TrainingOptions().Backbone;
        var options = defaults with
        {
            Augmentation = parse.GetValue(args.Augment) is { } augment ? AugmentationOptions.Parse(augment) : defaults.Augmentation,
            Backbone = backbone,
            BatchSize = parse.GetValue(args.Batch) ?? defaults.BatchSize,
            EpochsPerStage = parse.GetValue(args.Epochs) is { } epochs ? ParseEpochs(epochs) : defaults.EpochsPerStage,
            LearningRate = ParseLearningRate(parse.GetValue(args.LearningRate), defaults.LearningRate),
            FineTuneLearningRate = ParseLearningRate(parse.GetValue(args.FineTuneLearningRate), defaults.FineTuneLearningRate, "--fine-tune-lr"),
            Seed = parse.GetValue(args.Seed) ?? defaults.Seed,
            Device = parse.GetValue(args.Device) is { } device ? ParseDevice(device) : defaults.Device,
            Precision = parse.GetValue(args.Precision) ?? defaults.Precision,
            Objective = parse.GetValue(args.Objective) is { } objective ? TrainingObjective.Parse(objective).ToSpec() : defaults.Objective,
            Isimed = parse.GetValue(args.Isimed) is { } isimed ? IsimedOptions.Parse(isimed, defaults.Isimed) : defaults.Isimed,
            BudgetMinutes = budget,
            ScheduleShape = parse.GetValue(args.Schedule) is { } shape ? ScheduleShape.Get(shape).Name : defaults.ScheduleShape,
        };
        return options.Validate();
    }

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

    private static string PresetHelp() =>
        string.Join(" | ", Presets.All.Select(p => $"{p.Name}: {p.Description}")) + "; other options override it";

    /// <summary>The run the command line asks for, and the content hash its data must have (from a card).</summary>
    private static (MapRunRequest Request, string? ContentHash) Plan(ParseResult parse, Arguments args)
    {
        if (parse.GetValue(args.Card) is { } cardPath)
        {
            if (!File.Exists(cardPath)) throw new FileNotFoundException($"{cardPath}: file not found.", cardPath);
            var card = RunCard.FromJson(File.ReadAllText(cardPath), cardPath);
            var request = card.ToRequest() with { PixelBaseline = WantsBaseline(parse, args) };
            if (parse.GetValue(args.Data) is { } movedData)
                request = request with { Dataset = request.Dataset with { Spec = args.Labels.Apply(parse, movedData) } };
            return (request, card.Dataset.ContentHash);
        }
        var spec = args.Labels.Apply(parse,
            parse.GetValue(args.Data) ?? throw new ArgumentException("Give --data (the dataset to train on) or --card (a run.json to reproduce)."));
        var preset = Presets.Get(parse.GetValue(args.Preset)!);
        var selection = new DatasetSelection(spec, DatasetCatalog.ParseSplit(parse.GetValue(args.Split)!), parse.GetValue(args.ImageSize),
            parse.GetValue(args.MaxImages) ?? preset.MaxImages);
        return (new MapRunRequest(selection, ParseOptions(parse, args, preset.Options), WantsBaseline(parse, args)), null);
    }

    private static bool WantsBaseline(ParseResult parse, Arguments args) => parse.GetValue(args.Baseline)!.Trim().ToLowerInvariant() switch
    {
        "pixels" => true,
        "none" => false,
        var other => throw new ArgumentException($"Unknown --baseline '{other}': use pixels or none."),
    };

    private static async Task<int> RunAsync(ParseResult parse, Arguments args, CancellationToken cancellation)
    {
        var (request, contentHash) = Plan(parse, args);
        var sink = new FolderRunSink(parse.GetValue(args.Out)!);
        var console = CliConsole.For(parse.InvocationConfiguration.Output);
        var limits = InputLimits.FromEnvironment(Environment.GetEnvironmentVariable);
        var pipeline = new MapRunPipeline(new CatalogDatasetLoader(limits), new TSimCneMapTrainer());
        if (LabelledFolderSpec.TryParse(request.Dataset.Spec) is not null)
            foreach (var note in DatasetCatalog.Open(request.Dataset.Spec, request.Dataset.ImageSize, limits).Describe().Notes ?? [])
                console.MarkupLineInterpolated($"{note}");

        var display = new TrainingProgressDisplay(console, request.Options.EpochsPerStage.Sum());
        MapRunOutcome outcome;
        try
        {
            outcome = await display.RunAsync(progress => Task.Factory.StartNew(
                () => pipeline.Run(request, sink, progress, cancellation, contentHash),
                cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        }
        catch (OperationCanceledException)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"cancelled, checkpoint kept in {Path.Combine(sink.Folder, "checkpoint")}");
            return CliApp.CancelledExitCode;
        }
        console.MarkupLineInterpolated($"Done in {outcome.Duration:hh\\:mm\\:ss}, final loss {outcome.FinalLoss:F4}, kNN {outcome.Metrics.KnnAccuracy:P1} ({outcome.Metrics.Split ?? "stratified random"} split). Wrote {FolderRunSink.CoordinatesFile}, {FolderRunSink.ModelFile}, {FolderRunSink.MetricsFile}, {FolderRunSink.CardFile} to {sink.Folder}");
        return 0;
    }
}
