using System.CommandLine;
using Medvis.Core.Data;
using Medvis.Core.Runs;
using Medvis.Core.Storage;
using Medvis.Core.Storage.Postgres;

namespace Medvis.Cli.Commands;

/// <summary>
/// <c>medvis import-map map.csv [--data spec --split train] [--name …] [--database data/medvis.db | --connection …]</c>:
/// stores a map computed elsewhere (a CSV of index,x,y, e.g. from the Python tsimcne package or openTSNE) as a
/// finished run of the web app's store, where it opens and compares like a trained run.
/// </summary>
public static class ImportMapCommand
{
    private sealed class Arguments
    {
        public readonly Argument<FileInfo> Csv = new("csv") { Description = "CSV of index,x,y (header optional; a label column optional; other columns ignored)" };
        public readonly Option<string?> Data = new("--data") { Description = $"Dataset whose images the indices name ({DatasetCatalog.SpecHelp}); without it the map has no images" };
        public readonly Option<DatasetSplit> Split = new("--split") { Description = "The split the indices refer to", DefaultValueFactory = _ => DatasetSplit.Train };
        public readonly Option<int> ImageSize = new("--image-size") { Description = "Side of folder images, as registered", DefaultValueFactory = _ => 28 };
        public readonly Option<string?> Name = new("--name") { Description = "Run name shown in the web app (default: the file name)" };
        public readonly Option<string> Database = new("--database") { Description = "The web app's LiteDB file (stop the web app first: one process opens it)", DefaultValueFactory = _ => "data/medvis.db" };
        public readonly Option<string?> Connection = new("--connection") { Description = $"PostgreSQL connection string of a lab database instead (or ${WorkerCommand.ConnectionVariable})" };
    }

    /// <summary>The <c>import-map</c> command.</summary>
    public static Command Create()
    {
        var args = new Arguments();
        var command = new Command("import-map", "Import a map computed elsewhere (CSV of index,x,y) as a finished run of the web app.")
        {
            args.Csv, args.Data, args.Split, args.ImageSize, args.Name, args.Database, args.Connection,
        };
        command.SetAction(parse => CommandErrors.Guard(parse, () => Run(parse, args)));
        return command;
    }

    private static int Run(ParseResult parse, Arguments args)
    {
        var csv = parse.GetValue(args.Csv)!;
        if (!csv.Exists) throw new FileNotFoundException($"{csv.FullName}: file not found.", csv.FullName);
        var limits = InputLimits.FromEnvironment(Environment.GetEnvironmentVariable);
        var connection = parse.GetValue(args.Connection) ?? Environment.GetEnvironmentVariable(WorkerCommand.ConnectionVariable);
        using IMedvisStore store = string.IsNullOrWhiteSpace(connection) ? new MedvisDatabase(parse.GetValue(args.Database)!) : new PostgresStore(connection);
        var target = MapImportTarget.Standalone;
        if (parse.GetValue(args.Data) is { } spec)
        {
            var selection = new DatasetSelection(spec, parse.GetValue(args.Split), parse.GetValue(args.ImageSize));
            var images = DatasetCatalog.Load(selection.Spec, selection.Split, selection.ImageSize, limits);
            var dataset = store.Datasets.FindBySpec(selection.Spec) ?? QueueCommand.Register(store, selection);
            target = new MapImportTarget(dataset, selection.Split, images);
        }
        using var reader = new StreamReader(csv.FullName);
        var run = MapImports.Import(store, reader, csv.Name, parse.GetValue(args.Name) ?? "", target, new MapImporter("medvis import-map", 0), limits);
        var points = store.Artifacts.LoadResult(run.Id)?.Count ?? 0;
        parse.InvocationConfiguration.Output.WriteLine($"imported {points:N0} points as run {run.Id} \"{run.Name}\" in {store.Location}");
        return 0;
    }
}
