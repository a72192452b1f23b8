using System.CommandLine;
using System.Globalization;
using Medvis.Core.Data;
using Medvis.Core.Evaluation;
using Medvis.Core.Maps.Export;
using Medvis.Core.Runs;

namespace Medvis.Cli.Commands;

/// <summary>
/// <c>medvis export-html --run out/ [--data spec] --out map.html</c>: a trained map as one HTML file that opens in any
/// browser with no server and no network: points, legend, hover thumbnails, metrics and the run card.
/// </summary>
public static class ExportHtmlCommand
{
    private sealed class Arguments
    {
        public readonly Option<string> Run = new("--run") { Description = "A train output folder (coords.csv, and metrics.json and run.json when present)", Required = true };
        public readonly Option<string?> Data = new("--data") { Description = $"The images behind the points ({DatasetCatalog.SpecHelp}); default: the dataset named in run.json" };
        public readonly Option<string> Output = new("--out") { Description = "HTML file to write", DefaultValueFactory = _ => "map.html" };
        public readonly Option<string?> Title = new("--title") { Description = "Page title (default: the dataset's name)" };
        public readonly Option<int> MaxThumbnails = new("--max-thumbnail-points") { Description = "Leave thumbnails out of maps with more points", DefaultValueFactory = _ => new StandaloneMapOptions().MaxThumbnailPoints };
        public readonly Option<bool> NoThumbnails = new("--no-thumbnails") { Description = "Export the points without images" };
    }

    /// <summary>The <c>export-html</c> command.</summary>
    public static Command Create()
    {
        var args = new Arguments();
        var command = new Command("export-html", "Export a trained map as one self-contained HTML file (opens offline).")
        {
            args.Run, args.Data, args.Output, args.Title, args.MaxThumbnails, args.NoThumbnails,
        };
        command.SetAction(parse => CommandErrors.Guard(parse, () => Run(parse, args)));
        return command;
    }

    private static int Run(ParseResult parse, Arguments args)
    {
        var folder = parse.GetValue(args.Run)!;
        var coordsPath = Path.Combine(folder, FolderRunSink.CoordinatesFile);
        if (!File.Exists(coordsPath)) throw new DatasetFormatException(coordsPath, "no map here (run medvis train --out this folder first)");
        var map = CoordsCsv.Read(coordsPath);
        var cardPath = Path.Combine(folder, FolderRunSink.CardFile);
        var cardJson = File.Exists(cardPath) ? File.ReadAllText(cardPath) : null;
        var card = cardJson is null ? null : RunCard.FromJson(cardJson, cardPath);
        var metricsPath = Path.Combine(folder, FolderRunSink.MetricsFile);
        var metrics = File.Exists(metricsPath) ? MetricsReport.FromJson(File.ReadAllText(metricsPath)) : null;
        var options = new StandaloneMapOptions { MaxThumbnailPoints = parse.GetValue(args.NoThumbnails) ? 0 : parse.GetValue(args.MaxThumbnails) }.Validate();

        ImageDataset? images = null;
        var spec = parse.GetValue(args.Data) ?? card?.Dataset.Spec;
        if (spec is not null && map.Indices.Length <= options.MaxThumbnailPoints)
            images = DatasetCatalog.Load(spec, card?.Dataset.Split ?? DatasetSplit.Train, card?.Dataset.ImageSize ?? 28,
                InputLimits.FromEnvironment(Environment.GetEnvironmentVariable));
        var count = map.Indices.Length;
        var x = Enumerable.Range(0, count).Select(i => map.Coords[i, 0]).ToArray();
        var y = Enumerable.Range(0, count).Select(i => map.Coords[i, 1]).ToArray();
        var title = parse.GetValue(args.Title) ?? card?.Dataset.Name ?? Path.GetFileName(Path.GetFullPath(folder));
        var content = StandaloneMapExport.Build(title, x, y, map.Labels, map.ClassNames, map.Indices, images, metrics, cardJson, options);
        var output = parse.GetValue(args.Output)!;
        var bytes = StandaloneMapHtml.Render(content);
        File.WriteAllBytes(output, bytes);
        var thumbnails = content.Thumbnails is null ? "without thumbnails" : "with thumbnails";
        parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {output}: {count:N0} points {thumbnails}, {bytes.Length / 1e6:F1} MB"));
        return 0;
    }
}
