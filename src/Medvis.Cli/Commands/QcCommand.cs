using System.CommandLine;
using System.Globalization;
using Medvis.Core.Data;
using Medvis.Core.Evaluation;
using Medvis.Core.Quality;

namespace Medvis.Cli.Commands;

/// <summary>
/// <c>medvis qc --coords coords.csv [--data SPEC] [--split train] [--top 150] [--out qc.json]</c>: the data-quality
/// finders (near-duplicates, outliers, likely label errors) of a saved map, printed as ranked lists.
/// </summary>
public static class QcCommand
{
    /// <summary>Builds the <c>qc</c> verb, opening datasets with <c>DatasetCatalog.Open(spec)</c>.</summary>
    public static Command Create() => Create(spec => DatasetCatalog.Open(spec));

    /// <summary>Builds the <c>qc</c> verb with an explicit way to open a dataset spec (tests, other hosts).</summary>
    public static Command Create(Func<string, IDatasetSource> openDataset)
    {
        ArgumentNullException.ThrowIfNull(openDataset);
        var coords = new Option<FileInfo>("--coords") { Description = "The map: CSV with columns index,label,class,x,y (as medvis train writes).", Required = true };
        var data = new Option<string?>("--data") { Description = $"The map's images ({DatasetCatalog.SpecHelp}): adds pixel hashes and pixel distances. Without it the map alone is used." };
        var split = new Option<string>("--split") { Description = "Split the map's indices refer to: train, val, test or all.", DefaultValueFactory = _ => "train" };
        var top = new Option<int>("--top") { Description = "Items kept per finder.", DefaultValueFactory = _ => 150 };
        var show = new Option<int>("--show") { Description = "Items printed per finder.", DefaultValueFactory = _ => 10 };
        var k = new Option<int>("--k") { Description = "Neighbours looked at per point.", DefaultValueFactory = _ => 15 };
        var output = new Option<FileInfo?>("--out") { Description = "Write every kept item as JSON here." };
        var command = new Command("qc", "Data-quality finders on a map: near-duplicates (pixel hash, map and pixel distance), " +
            "outliers (distance to the k nearest neighbours) and likely label errors (most of the k nearest map neighbours carry another label).")
        {
            coords, data, split, top, show, k, output,
        };
        command.SetAction(parse => CommandErrors.Guard(parse, () =>
        {
            var map = CoordsCsv.Read(parse.GetValue(coords)!.FullName);
            var options = new QualityOptions(K: parse.GetValue(k), Top: parse.GetValue(top));
            var input = parse.GetValue(data) is { } spec
                ? WithImages(map, openDataset(spec).Load(DatasetCatalog.ParseSplit(parse.GetValue(split)!)))
                : new QualityInput(map.Coords, map.Labels, map.ClassNames, map.Indices);
            var report = QualityAnalysis.Run(input, options);
            Print(report, parse.GetValue(show), parse.InvocationConfiguration.Output);
            if (parse.GetValue(output) is { } file)
            {
                File.WriteAllText(file.FullName, report.ToJson());
                parse.InvocationConfiguration.Output.WriteLine($"→ {file.FullName}");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>The map's points with their images' hashes and pixel components (rows found by the map's indices).</summary>
    private static QualityInput WithImages(MapCoordinates map, ImageDataset images)
    {
        var rows = map.Indices.Select(index => index >= 0 && index < images.Count ? index
            : throw new ArgumentException($"The map's index {index} lies outside the {images.Count} images of {images.Name}; is --split right?")).ToArray();
        // Past QualityAnalysis.MaxFeaturePoints the features would not be used: the PCA of every image is skipped too.
        return new QualityInput(map.Coords, map.Labels, map.ClassNames, map.Indices,
            QualityAnalysis.UsesFeatures(rows.Length) ? ImageFingerprints.PixelComponents(images, rows) : null, ImageFingerprints.PixelHashes(images, rows));
    }

    private static void Print(QualityReport report, int show, TextWriter output)
    {
        output.WriteLine(FormattableString.Invariant(
            $"{report.PointCount} points, k = {report.K}, distances in {report.Spaces}, {report.Seconds:F2} s"));
        if (report.Limited is { } limited) output.WriteLine($"Limited: {limited}");
        PrintList("Near-duplicates", report.NearDuplicates, show, output);
        PrintList("Outliers", report.Outliers, show, output);
        PrintList("Likely label errors", report.LabelErrors, show, output);
    }

    private static void PrintList(string title, IReadOnlyList<QualityItem> items, int show, TextWriter output)
    {
        var groups = items.Where(i => i.Group is not null).Select(i => i.Group).Distinct().Count();
        output.WriteLine();
        output.WriteLine($"{title}: {items.Count} kept{(groups > 0 ? $" in {groups} groups" : "")}");
        foreach (var (item, rank) in items.Take(Math.Max(0, show)).Select((item, rank) => (item, rank + 1)))
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {rank,4}. index {item.Index,6}  score {item.Score:F3}{(item.Group is { } g ? $"  group {g}" : "")}  {item.Reason}"));
    }
}
