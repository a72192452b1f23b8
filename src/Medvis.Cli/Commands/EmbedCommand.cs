using System.CommandLine;
using Medvis.Cli.Output;
using Medvis.Core.Data;
using Medvis.Core.Evaluation;
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
        var command = new Command("embed", "Embed images with a trained model.") { model, data, split, output, batch, device, precision, features };
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
            CoordsCsv.Write(outPath, new MapCoordinates(images.SourceIndices, images.Labels, images.ClassNames, coordinates));
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
