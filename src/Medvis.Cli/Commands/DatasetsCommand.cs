using System.CommandLine;
using Medvis.Cli.Output;
using Medvis.Core.Data;
using Spectre.Console;

namespace Medvis.Cli.Commands;

/// <summary>
/// <c>medvis datasets info &lt;source&gt;</c>: classes, counts per split, image size and channels. Files are read
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
        var info = new Command("info", "Show classes, counts per split, image size and channels of a dataset.") { source, imageSize };
        info.SetAction(parse => CommandErrors.Guard(parse, () =>
        {
            var limits = InputLimits.FromEnvironment(Environment.GetEnvironmentVariable);
            var summary = DatasetCatalog.Open(parse.GetValue(source)!, parse.GetValue(imageSize), limits).Describe();
            Print(summary, CliConsole.For(parse.InvocationConfiguration.Output));
            return 0;
        }));
        return new Command("datasets", "Inspect datasets.") { info };
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
