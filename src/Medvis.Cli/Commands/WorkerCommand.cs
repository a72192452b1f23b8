using System.CommandLine;
using Hangfire;
using Medvis.Core.Compute;
using Medvis.Core.Data;
using Medvis.Core.Lab;
using Medvis.Core.Runs;
using Medvis.Core.Storage;
using Medvis.Core.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Medvis.Cli.Commands;

/// <summary>
/// <c>medvis worker</c>: a long-running process that trains the runs a lab's web app queued in PostgreSQL. It serves
/// the Hangfire queues it is told (cuda, cpu), trains with the same executor and pipeline as the web app, checkpoints
/// to PostgreSQL every epoch, and on SIGTERM stops at the next step and hands its jobs back (they resume from the
/// last checkpoint on whichever worker takes them next).
/// </summary>
public static class WorkerCommand
{
    /// <summary>The environment variable read when <c>--connection</c> is not given (keeps passwords out of <c>ps</c>).</summary>
    public const string ConnectionVariable = "ConnectionStrings__Medvis";

    // The command line ends the process this long after SIGTERM (CliApp's ProcessTerminationTimeout, 30 s): the
    // drain must fit inside it with room for the host to stop.
    private const int MaxDrainSeconds = 25;

    private sealed class Arguments
    {
        public readonly Option<string?> Connection = new("--connection") { Description = $"PostgreSQL connection string of the lab database (default: ${ConnectionVariable})" };
        public readonly Option<string?> Queues = new("--queues") { Description = "Queues to serve, in order: cuda, cpu (default: cuda,cpu with a GPU, else cpu)" };
        public readonly Option<int> Slots = new("--slots") { Description = "Runs trained at the same time", DefaultValueFactory = _ => 1 };
        public readonly Option<string> Device = new("--device") { Description = "auto | cpu | cuda: where runs that ask for auto train", DefaultValueFactory = _ => "auto" };
        public readonly Option<int> HeartbeatTimeout = new("--heartbeat-timeout") { Description = "Seconds without a heartbeat before a dead worker's job goes to another (same on every worker)", DefaultValueFactory = _ => 120 };
        public readonly Option<int> MaxAttempts = new("--max-attempts") { Description = "Starts of a run (lost workers included) before it is failed", DefaultValueFactory = _ => 3 };
        public readonly Option<int?> Threads = new("--threads") { Description = "CPU threads torch may use in this worker (default: the cores divided by the trainings running on this machine, checked every epoch)" };
        public readonly Option<int> ReplaySnapshots = new("--replay-snapshots") { Description = $"2-D snapshots kept per run for its replay, thinned evenly ({ReplaySettings.MinMaxSnapshots}–{ReplaySettings.MaxMaxSnapshots}; the web app's Medvis:ReplaySnapshots for its own runs)", DefaultValueFactory = _ => ReplaySettings.DefaultMaxSnapshots };
        public readonly Option<int> DrainSeconds = new("--drain-seconds") { Description = $"On SIGTERM, how long running jobs get to stop and hand back (at most {MaxDrainSeconds})", DefaultValueFactory = _ => 20 };

        public Command Into(Command command)
        {
            foreach (var option in new Option[] { Connection, Queues, Slots, Device, HeartbeatTimeout, MaxAttempts, Threads, ReplaySnapshots, DrainSeconds })
                command.Options.Add(option);
            return command;
        }
    }

    /// <summary>The <c>worker</c> command.</summary>
    public static Command Create()
    {
        var args = new Arguments();
        var command = args.Into(new Command("worker", "Train runs queued by a lab's web app (PostgreSQL + Hangfire) until stopped."));
        command.SetAction((parse, stop) => CommandErrors.GuardAsync(parse, () => RunAsync(parse, args, stop)));
        return command;
    }

    /// <summary>Everything the worker was asked for, checked.</summary>
    internal sealed record WorkerPlan(string ConnectionString, string[] Queues, int Slots, string Device, LabQueueSettings Queue,
        int MaxAttempts, int? Threads, TimeSpan Drain)
    {
        /// <summary>How many snapshots each run keeps for its replay.</summary>
        public ReplaySettings Replay { get; init; } = ReplaySettings.Default;
    }

    private static WorkerPlan Plan(ParseResult parse, Arguments args)
    {
        var connection = parse.GetValue(args.Connection) ?? Environment.GetEnvironmentVariable(ConnectionVariable);
        if (string.IsNullOrWhiteSpace(connection)) throw new ArgumentException($"Give --connection or set {ConnectionVariable}.");
        var device = ComputeDevice.Resolve(parse.GetValue(args.Device)).type == TorchSharp.DeviceType.CUDA ? "cuda" : "cpu";
        var queueList = parse.GetValue(args.Queues) ?? (device == "cuda" ? "cuda,cpu" : "cpu");
        var queues = RunQueues.Parse(queueList, out var queueError) ?? throw new ArgumentException($"--queues: {queueError}.");
        if (queues.Contains(RunQueues.Cuda) && device != "cuda")
            throw new ArgumentException("--queues: this worker trains on the CPU, so it cannot serve the cuda queue.");
        var slots = parse.GetValue(args.Slots);
        if (slots is < 1 or > 64) throw new ArgumentException("--slots must be between 1 and 64.");
        var maxAttempts = parse.GetValue(args.MaxAttempts);
        if (maxAttempts is < 1 or > 100) throw new ArgumentException("--max-attempts must be between 1 and 100.");
        var queue = new LabQueueSettings { HeartbeatTimeout = TimeSpan.FromSeconds(parse.GetValue(args.HeartbeatTimeout)) };
        if (queue.Problem() is { } problem) throw new ArgumentException($"--heartbeat-timeout: {problem}.");
        var drain = TimeSpan.FromSeconds(parse.GetValue(args.DrainSeconds));
        if (drain < TimeSpan.FromSeconds(1) || drain > TimeSpan.FromSeconds(MaxDrainSeconds))
            throw new ArgumentException($"--drain-seconds must be between 1 and {MaxDrainSeconds}.");
        var threads = parse.GetValue(args.Threads);
        if (threads is < 1 or > 1024) throw new ArgumentException("--threads must be between 1 and 1024.");
        var replay = new ReplaySettings(parse.GetValue(args.ReplaySnapshots));
        if (replay.Problem() is { } replayProblem) throw new ArgumentException($"--replay-snapshots: {replayProblem}.");
        return new WorkerPlan(connection, queues, slots, device, queue, maxAttempts, threads, drain) { Replay = replay };
    }

    private static async Task<int> RunAsync(ParseResult parse, Arguments args, CancellationToken stop)
    {
        var plan = Plan(parse, args);
        // Several workers on one machine each default to every core; their thread pools then fight over the cores.
        if (plan.Threads is { } threads)
        {
            TorchSharp.torch.set_num_threads(threads);
            // Every training of this worker keeps the count instead of sharing out the cores itself.
            Environment.SetEnvironmentVariable(Medvis.Core.Compute.ThreadShare.ThreadsVariable, threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        using var host = BuildHost(plan);
        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Medvis.Worker");
        log.LogInformation("Worker {Name} serves {Queues} with {Slots} slot(s) on {Device}; store {Store}",
            WorkerName(), string.Join(",", plan.Queues), plan.Slots, plan.Device, host.Services.GetRequiredService<IMedvisStore>().Location);
        // SIGTERM and Ctrl+C reach the command line's token first: stopping the host makes Hangfire cancel the running
        // jobs' tokens, the executor stops at the next step and leaves the run queued, and the job goes back to its queue.
        await host.RunAsync(stop);
        return 0;
    }

    /// <summary>The worker's services: the store, the pipeline, the executor and a Hangfire server on the chosen queues.</summary>
    internal static IHost BuildHost(WorkerPlan plan)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.AddFilter("Hangfire", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = plan.Drain + TimeSpan.FromSeconds(3));
        var store = new PostgresStore(plan.ConnectionString);
        builder.Services.AddSingleton<IMedvisStore>(store);
        builder.Services.AddSingleton(InputLimits.FromEnvironment(Environment.GetEnvironmentVariable));
        builder.Services.AddSingleton<IDatasetLoader>(sp => new CatalogDatasetLoader(sp.GetRequiredService<InputLimits>()));
        builder.Services.AddSingleton<IMapTrainer, TSimCneMapTrainer>();
        builder.Services.AddSingleton<MapRunPipeline>();
        builder.Services.AddSingleton<IRunEvents>(sp => new PostgresRunEvents(store.DataSource, sp.GetRequiredService<ILogger<PostgresRunEvents>>()));
        builder.Services.AddSingleton(plan.Replay);
        builder.Services.AddSingleton<StoredRunExecutor>();
        builder.Services.AddSingleton(new LabWorkerSettings(
            new RunStartRule(TakeOverLostRuns: true, plan.MaxAttempts, WorkerName(), plan.Device), TimeSpan.FromSeconds(1)));
        builder.Services.AddTransient<LabRunJob>();
        builder.Services.AddHangfire(c => c.UseMedvisLabStorage(plan.ConnectionString, plan.Queue));
        builder.Services.AddHangfireServer(o =>
        {
            o.Queues = plan.Queues;
            o.WorkerCount = plan.Slots;
            o.ServerName = WorkerName();
            o.ShutdownTimeout = plan.Drain;
        });
        return builder.Build();
    }

    private static string WorkerName() => $"{Environment.MachineName}/{Environment.ProcessId}";
}
