using System.CommandLine;
using Medvis.Cli.Output;
using Medvis.Core.Data;
using Medvis.Core.Evaluation;
using Medvis.Core.Runs;
using Medvis.Core.Similarity;
using System.Globalization;
using Medvis.Core.Training;
using Spectre.Console;

namespace Medvis.Cli.Commands;

/// <summary><c>medvis embed</c>: places new images into a trained map and writes their coordinates.</summary>
public static class EmbedCommand
{
    /// <summary>The <c>embed</c> command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A train output folder (holding model.bin) or a model.bin file", Required = true };
        var data = new Option<string>("--data") { Description = DatasetCatalog.SpecHelp, Required = true };
        var split = new Option<string>("--split") { Description = "train | val | test | all", DefaultValueFactory = _ => "all" };
        var output = new Option<string>("--out") { Description = "CSV file to write (index,label,class,x,y)", DefaultValueFactory = _ => "coords.csv" };
        var batch = new Option<int>("--batch") { Description = "Images per forward pass", DefaultValueFactory = _ => 512 };
        var device = new Option<string>("--device") { Description = "auto | cpu | cuda", DefaultValueFactory = _ => "auto" };
        var features = new Option<string?>("--features-metrics") { Description = "Also score the backbone features (the paper's H space, before the projection head): kNN accuracy and silhouette JSON written here" };
        var precision = new Option<string?>("--precision") { Description = "fp32 | bf16 | auto (bf16 on CUDA or a CPU with bf16 instructions); default: the precision the model was trained in" };
        var flagUnlike = new Option<bool>("--flag-unlike") { Description = "Also judge whether each image is like the model's training images (columns novelty_percentile and unlike_training: its 15th-nearest training image, in the backbone's features or in coarse pixels, is farther than for 99% of training images)" };
        var training = new Option<string?>("--training-data") { Description = "With --flag-unlike: the training images (a data spec, its train split); default: the dataset and split named by the run.json beside the model" };
        var command = new Command("embed", "Embed images with a trained model.") { model, data, split, output, batch, device, precision, features, flagUnlike, training };
        command.SetAction(parse => CommandErrors.Guard(parse, () =>
        {
            var batchSize = parse.GetValue(batch);
            if (batchSize is < 1 or > 65536) throw new ArgumentException($"--batch {batchSize} must be between 1 and 65536.");
            var modelFile = ResolveModelFile(parse.GetValue(model)!);
            var selectedSplit = DatasetCatalog.ParseSplit(parse.GetValue(split)!);
            var outPath = parse.GetValue(output)!;
            var console = CliConsole.For(parse.InvocationConfiguration.Output);

            using var trained = TSimCneModel.FromBytes(File.ReadAllBytes(modelFile), parse.GetValue(device)!, parse.GetValue(precision));
            var images = MatchModel(DatasetCatalog.Load(parse.GetValue(data)!, selectedSplit, trained.Height), trained);
            var coordinates = trained.Transform(images, batchSize);
            var map = new MapCoordinates(images.SourceIndices, images.Labels, images.ClassNames, coordinates);
            if (parse.GetValue(flagUnlike))
            {
                var trainingImages = MatchModel(LoadTrainingImages(parse.GetValue(training), modelFile, trained.Height), trained);
                var novelty = TrainingLikeness.Build(trained.Features(trainingImages, batchSize), trainingImages).Judge(trained.Features(images, batchSize), images);
                map = map with { ExtraColumns = NoveltyColumns(novelty) };
                var unlike = novelty.Count(n => n.Unlike);
                console.MarkupLineInterpolated($"Unlike the {trainingImages.Count} training images: {unlike} of {images.Count} ({(double)unlike / images.Count:P1}).");
            }
            CoordsCsv.Write(outPath, map);
            console.MarkupLineInterpolated($"Embedded {images.Count} images into {outPath}");
            if (parse.GetValue(features) is { } featuresPath)
            {
                var report = MapEvaluator.Evaluate(trained.Features(images, batchSize), images)
                    with { Method = "t-SimCNE backbone features" };
                File.WriteAllText(featuresPath, report.ToJson());
                console.MarkupLineInterpolated($"{report.Dimensions}-d backbone features: kNN accuracy {report.KnnAccuracy:P1}, silhouette {report.Silhouette:F3} → {featuresPath}");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>The columns <c>--flag-unlike</c> adds: the percentile among training images, and the flag as 0/1.</summary>
    internal static IReadOnlyList<(string Name, IReadOnlyList<string> Values)> NoveltyColumns(IReadOnlyList<Likeness> novelty) =>
    [
        ("novelty_percentile", novelty.Select(n => n.Percentile.ToString("0.####", CultureInfo.InvariantCulture)).ToArray()),
        ("unlike_training", novelty.Select(n => n.Unlike ? "1" : "0").ToArray()),
    ];

    /// <summary>The images the model was trained on: <paramref name="spec"/>'s train split, or the run card's dataset beside the model.</summary>
    private static ImageDataset LoadTrainingImages(string? spec, string modelFile, int imageSize)
    {
        if (spec is not null) return DatasetCatalog.Load(spec, DatasetSplit.Train, imageSize);
        var cardPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelFile))!, "run.json");
        if (!File.Exists(cardPath))
            throw new ArgumentException($"--flag-unlike needs the training images: give --training-data, or keep run.json beside {modelFile}.");
        var card = RunCard.FromJson(File.ReadAllText(cardPath), cardPath);
        return DatasetCatalog.Load(card.Dataset.Spec, card.Dataset.Split, imageSize);
    }

    /// <summary>model.bin itself, or model.bin inside the given folder.</summary>
    internal static string ResolveModelFile(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, "model.bin") : path;
        return File.Exists(file) ? file : throw new DatasetFormatException(file, "model file not found (run medvis train first)");
    }

    /// <summary>Adapts the channel count to the model's; a different image size is an error (resizing would change the data).</summary>
    internal static ImageDataset MatchModel(ImageDataset images, TSimCneModel model)
    {
        if (images.Height != model.Height || images.Width != model.Width)
            throw new ArgumentException($"{images.Name}: images are {images.Height}×{images.Width} but the model expects {model.Height}×{model.Width}.");
        return ImageEncoding.WithChannels(images, model.Channels);
    }
}
