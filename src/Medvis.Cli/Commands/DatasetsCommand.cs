using System.CommandLine;
using Medvis.Cli.Output;
using Medvis.Core.Data;
using Spectre.Console;

namespace Medvis.Cli.Commands;

/// <summary>
/// <c>medvis datasets info &lt;source&gt;</c> and <c>medvis datasets metadata &lt;source&gt; &lt;csv&gt;</c>: classes, counts per split, image size and channels. Files are read
/// under the input limits, each overridable by its environment variable (<c>Medvis__InputLimits__MaxClasses</c> …).
/// </summary>
public static class DatasetsCommand
{
    private static readonly DatasetSplit[] Splits = [DatasetSplit.Train, DatasetSplit.Val, DatasetSplit.Test];

    /// <summary>The <c>datasets</c> command with its <c>info</c> sub-command.</summary>
    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = DatasetCatalog.SpecHelp };
        var imageSize = new Option<int>("--image-size")
        {
            Description = "Image side in pixels for folders and the demo",
            DefaultValueFactory = _ => 28,
        };
        var labels = new LabelTableOptions();
        var info = new Command("info", "Show classes, counts per split, image size and channels of a dataset; with --labels, how the table matched the folder and the metadata its other columns become; for DICOM files, the metadata their tags become.")
        {
            source, imageSize,
        };
        labels.AddTo(info);
        info.SetAction(parse => CommandErrors.Guard(parse, () =>
        {
            var limits = InputLimits.FromEnvironment(Environment.GetEnvironmentVariable);
            var dataset = DatasetCatalog.Open(labels.Apply(parse, parse.GetValue(source)!), parse.GetValue(imageSize), limits);
            var console = CliConsole.For(parse.InvocationConfiguration.Output);
            var summary = dataset.Describe();
            Print(summary, console);
            foreach (var note in summary.Notes ?? []) console.WriteLine(note);
            if (dataset is ImageFolderDatasetSource folder && folder.Metadata() is { Columns.Count: > 0 } metadata)
                PrintMetadata(metadata, console);
            return 0;
        }));
        return new Command("datasets", "Inspect datasets.") { info, CreateMetadata() };
    }

    /// <summary>
    /// <c>datasets metadata &lt;source&gt; &lt;file.csv&gt;</c>: checks a metadata CSV against a dataset as the web app does
    /// before attaching it and prints its columns; <c>--example</c> writes a made-up HAM10000-style table instead.
    /// </summary>
    private static Command CreateMetadata()
    {
        var source = new Argument<string>("source") { Description = DatasetCatalog.SpecHelp };
        var csv = new Argument<string>("csv") { Description = "The metadata CSV: a key column (image index, or file name for folders) and value columns" };
        var imageSize = new Option<int>("--image-size") { Description = "Image side in pixels for folders and the demo", DefaultValueFactory = _ => 28 };
        var example = new Option<bool>("--example") { Description = "Write a made-up HAM10000-style table (age, sex, localization, dx_type) for the dataset's train split to <csv> first" };
        var command = new Command("metadata", "Check a metadata CSV against a dataset (what the web app's metadata upload accepts) and show its columns.")
        {
            source, csv, imageSize, example,
        };
        command.SetAction(parse => CommandErrors.Guard(parse, () =>
        {
            var limits = InputLimits.FromEnvironment(Environment.GetEnvironmentVariable);
            var dataset = DatasetCatalog.Open(parse.GetValue(source)!, parse.GetValue(imageSize), limits);
            var names = dataset is ImageFolderDatasetSource folder ? folder.FileNames() : null;
            var path = parse.GetValue(csv)!;
            if (parse.GetValue(example))
            {
                var labels = dataset.Load(DatasetSplit.Train).Labels;
                File.WriteAllText(path, Core.Data.Metadata.SyntheticMetadata.HamStyleCsv(labels, seed: 0, keys: names));
            }
            var count = names?.Count ?? dataset.Describe().CountsPerSplit.GetValueOrDefault(DatasetSplit.Train)?.Sum() ?? 0;
            var metadata = Core.Data.Metadata.MetadataCsv.Parse(File.ReadAllBytes(path), path, new Core.Data.Metadata.MetadataKeys(count, names));
            PrintMetadata(metadata, CliConsole.For(parse.InvocationConfiguration.Output));
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// One line for the table, then a row per column (its kind: categorical, continuous or identifier; values;
    /// missing count), then a line per identifier column saying how it was kept.
    /// </summary>
    internal static void PrintMetadata(Core.Data.Metadata.DatasetMetadata metadata, IAnsiConsole console)
    {
        console.MarkupLineInterpolated($"[bold]{metadata.FileName}[/]: {metadata.RowCount} of {metadata.ImageCount} images described, keys by {metadata.KeyKind} (column \"{metadata.KeyColumn}\")");
        var table = new Table().AddColumn("column").AddColumn("kind").AddColumn("values").AddColumn(new TableColumn("missing").RightAligned());
        foreach (var column in metadata.Columns)
        {
            var missing = Enumerable.Range(0, metadata.ImageCount).Count(i => !column.HasValue(i));
            table.AddRow(Markup.Escape(column.Name), column.Kind.ToString().ToLowerInvariant(), Markup.Escape(ValuesOf(column, metadata.ImageCount)), missing.ToString());
        }
        console.Write(table);
        foreach (var note in metadata.IdentifierNotes()) console.WriteLine(note);
    }

    /// <summary>A column's values in a few words: the first categories, the range, or the first identifiers and how many there are.</summary>
    private static string ValuesOf(Core.Data.Metadata.MetadataColumn column, int imageCount)
    {
        switch (column.Kind)
        {
            case Core.Data.Metadata.MetadataColumnKind.Categorical:
                return string.Join(", ", column.Categories.Take(8)) + (column.Categories.Count > 8 ? $", … ({column.Categories.Count})" : "");
            case Core.Data.Metadata.MetadataColumnKind.Identifier:
                var first = Enumerable.Range(0, imageCount).Where(column.HasValue).Select(column.Text).Distinct(StringComparer.Ordinal).Take(3);
                return string.Join(", ", first) + FormattableString.Invariant($", … ({column.DistinctCount():N0} distinct)");
            default:
                var (min, max) = column.Range();
                return FormattableString.Invariant($"{min:G6} – {max:G6}");
        }
    }

    /// <summary>The header line and the class × split table.</summary>
    internal static void Print(DatasetSummary summary, IAnsiConsole console)
    {
        var colour = summary.Channels == 1 ? "grey" : "RGB";
        console.MarkupLineInterpolated($"[bold]{summary.Name}[/] ({summary.Kind}): {summary.ClassNames.Count} classes, {summary.Height}×{summary.Width} {colour}");

        var splits = Splits.Where(summary.CountsPerSplit.ContainsKey).ToArray();
        var table = new Table().AddColumn("#").AddColumn("class");
        foreach (var split in splits) table.AddColumn(new TableColumn(SplitName(split)).RightAligned());
        table.AddColumn(new TableColumn("total").RightAligned());
        for (var c = 0; c < summary.ClassNames.Count; c++)
        {
            var counts = splits.Select(s => summary.CountsPerSplit[s][c]).ToArray();
            table.AddRow([c.ToString(), Markup.Escape(summary.ClassNames[c]), .. counts.Select(n => n.ToString()), counts.Sum().ToString()]);
        }
        var totals = splits.Select(s => summary.CountsPerSplit[s].Sum()).ToArray();
        table.AddRow(["", "[bold]total[/]", .. totals.Select(n => $"[bold]{n}[/]"), $"[bold]{totals.Sum()}[/]"]);
        console.Write(table);
        console.WriteLine($"splits: {string.Join(" / ", splits.Zip(totals, (s, n) => $"{SplitName(s)} {n}"))}");
    }

    private static string SplitName(DatasetSplit split) => split.ToString().ToLowerInvariant();
}
