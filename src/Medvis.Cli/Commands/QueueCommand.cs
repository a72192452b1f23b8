using System.CommandLine;
using Hangfire;
using Hangfire.PostgreSql;
using Medvis.Core.Data;
using Medvis.Core.Lab;
using Medvis.Core.Runs;
using Medvis.Core.Storage;
using Medvis.Core.Storage.Postgres;
using Medvis.Core.Training;

namespace Medvis.Cli.Commands;

/// <summary>
/// <c>medvis queue</c>: stores map runs in a lab's PostgreSQL database and puts them in their device's queue for
/// <c>medvis worker</c>, as the web app's New run form does (for scripts such as scripts/lab-demo.sh). Takes the
/// options of <c>medvis train</c> without <c>--out</c>; the run is pinned to its data's content hash here.
/// </summary>
public static class QueueCommand
{
    private sealed class Arguments
    {
        public readonly Option<string?> Connection = new("--connection") { Description = $"PostgreSQL connection string of the lab database (default: ${WorkerCommand.ConnectionVariable})" };
        public readonly Option<string?> Name = new("--name") { Description = "Run name shown in the web app (default: dataset · augmentation)" };
        public readonly Option<int> Count = new("--count") { Description = "Queue this many identical runs", DefaultValueFactory = _ => 1 };
    }

    /// <summary>The <c>queue</c> command.</summary>
    public static Command Create()
    {
        var args = new Arguments();
        var command = new Command("queue", "Queue map runs for a lab's workers (takes medvis train's options, without --out).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(args.Connection);
        command.Options.Add(args.Name);
        command.Options.Add(args.Count);
        command.SetAction(parse => CommandErrors.Guard(parse, () => Run(parse, args)));
        return command;
    }

    private static int Run(ParseResult parse, Arguments args)
    {
        var connection = parse.GetValue(args.Connection) ?? Environment.GetEnvironmentVariable(WorkerCommand.ConnectionVariable);
        if (string.IsNullOrWhiteSpace(connection)) throw new ArgumentException($"Give --connection or set {WorkerCommand.ConnectionVariable}.");
        var count = parse.GetValue(args.Count);
        if (count is < 1 or > 100) throw new ArgumentException("--count must be between 1 and 100.");
        var (request, cardHash) = TrainCommand.ParseRequest(parse.UnmatchedTokens);
        var selection = request.Dataset;
        var limits = InputLimits.FromEnvironment(Environment.GetEnvironmentVariable);
        var split = DatasetCatalog.Load(selection.Spec, selection.Split, selection.ImageSize, limits);
        MapRunValidation.Check(request, split.Count);
        var hash = DatasetFingerprint.Of(split);
        if (cardHash is not null && cardHash != hash) throw new DatasetMismatchException(selection.Spec, cardHash, hash);

        using var store = new PostgresStore(connection);
        var dataset = store.Datasets.FindBySpec(selection.Spec) ?? Register(store, selection);
        var options = LabQueueStorage.Options(new LabQueueSettings());
        var jobs = new BackgroundJobClient(new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connection, options, null), options));
        for (var i = 0; i < count; i++)
        {
            var run = store.Runs.Add(new RunRecord
            {
                Name = parse.GetValue(args.Name) ?? $"{dataset.Name} · {request.Options.Augmentation.ToSpec()}",
                DatasetId = dataset.Id, DatasetSpec = dataset.Spec, DatasetName = dataset.Name, ImageSize = selection.ImageSize,
                Split = selection.Split, MaxImages = selection.MaxImages, OptionsJson = TrainingOptionsJson.Serialize(request.Options),
                Status = RunStatus.Queued, CreatedAtUtc = DateTime.UtcNow, OwnerName = "medvis queue", DatasetContentHash = hash,
            });
            store.Audit.Add("medvis queue", "queued run", $"run {run.Id} \"{run.Name}\"");
            LabRunJob.Enqueue(jobs, run);
            parse.InvocationConfiguration.Output.WriteLine($"queued run {run.Id} in {RunQueues.For(request.Options)}");
        }
        return 0;
    }

    /// <summary>Registers the dataset of <paramref name="selection"/> in <paramref name="store"/> as the web app would (also for <c>medvis import-map</c>).</summary>
    internal static DatasetRecord Register(IMedvisStore store, DatasetSelection selection)
    {
        var summary = DatasetCatalog.Open(selection.Spec, selection.ImageSize).Describe();
        return store.Datasets.Add(new DatasetRecord
        {
            Name = summary.Name, Spec = selection.Spec, ImageSize = selection.ImageSize, Kind = summary.Kind,
            Channels = summary.Channels, Height = summary.Height, Width = summary.Width, ClassNames = summary.ClassNames.ToList(),
            CountsPerSplit = summary.CountsPerSplit.ToDictionary(p => p.Key.ToString(), p => p.Value.ToArray()),
            RegisteredAtUtc = DateTime.UtcNow,
        });
    }
}
