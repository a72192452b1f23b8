using System.Diagnostics;
using Hangfire;
using Hangfire.PostgreSql;
using Medvis.Core.Data;
using Medvis.Core.Lab;
using Medvis.Core.Runs;
using Medvis.Core.Storage;
using Medvis.Core.Storage.Postgres;
using Medvis.Core.Training;
using Medvis.Cli.Commands;
using Npgsql;

namespace Medvis.Cli.Tests.Lab;

/// <summary>
/// A lab on one machine for tests: a fresh database on the server <c>MEDVIS_TEST_POSTGRES</c> names (skipped when
/// unset), the Medvis store and Hangfire client on it, and <c>medvis worker</c> processes started and killed at will.
/// Everything is removed on dispose.
/// </summary>
public sealed class LabCluster : IDisposable
{
    private const string Variable = "MEDVIS_TEST_POSTGRES";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private readonly string _server;
    private readonly string _database = $"lab_{Guid.NewGuid():N}";
    private readonly List<Process> _workers = [];
    private readonly PostgreSqlStorage _queue;

    /// <summary>Creates the database; skips the test without a server.</summary>
    public LabCluster(TimeSpan heartbeatTimeout)
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        Skip.If(string.IsNullOrWhiteSpace(server), $"{Variable} is not set: no PostgreSQL server to run a lab on.");
        _server = server!;
        Execute(_server, $"CREATE DATABASE {_database}");
        ConnectionString = new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ConnectionString;
        HeartbeatTimeout = heartbeatTimeout;
        Store = new PostgresStore(ConnectionString);
        var options = LabQueueStorage.Options(new LabQueueSettings { HeartbeatTimeout = heartbeatTimeout });
        _queue = new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(ConnectionString, options, null), options);
        Jobs = new BackgroundJobClient(_queue);
    }

    public string ConnectionString { get; }
    public TimeSpan HeartbeatTimeout { get; }
    public PostgresStore Store { get; }
    public IBackgroundJobClient Jobs { get; }

    /// <summary>A small, quick map run on the synthetic demo (CPU), so a test can watch it epoch by epoch.</summary>
    public static TrainingOptions QuickOptions(int[] epochs) => new()
    {
        Backbone = "tiny", BatchSize = 32, EpochsPerStage = epochs, SnapshotEvery = 1, SnapshotSize = 50, Device = "cpu", Seed = 5,
        // A checkpoint every epoch: the tests kill, drain and cancel runs after chosen epochs.
        CheckpointMinSeconds = 0,
    };

    /// <summary>Stores a queued run pinned to the demo's content hash (as the web app does) and enqueues it.</summary>
    public RunRecord Queue(TrainingOptions options, string? contentHash = null, int maxImages = 96)
    {
        contentHash ??= DatasetFingerprint.Of(new CatalogDatasetLoader().Load("demo", 28, DatasetSplit.Train));
        var run = Store.Runs.Add(new RunRecord
        {
            Name = "lab test", DatasetSpec = "demo", ImageSize = 28, Split = DatasetSplit.Train, MaxImages = maxImages,
            OptionsJson = TrainingOptionsJson.Serialize(options), Status = RunStatus.Queued, CreatedAtUtc = DateTime.UtcNow,
            DatasetContentHash = contentHash,
        });
        LabRunJob.Enqueue(Jobs, run);
        return run;
    }

    /// <summary>Starts <c>medvis worker</c> in its own process.</summary>
    public Process StartWorker(string queues = "cpu")
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "medvis.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { cli, "worker", "--queues", queues, "--device", "cpu", "--heartbeat-timeout", ((int)HeartbeatTimeout.TotalSeconds).ToString(), "--drain-seconds", "20" },
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment[WorkerCommand.ConnectionVariable] = ConnectionString;
        var process = Process.Start(start)!;
        // Drained so a chatty worker never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _workers.Add(process);
        return process;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the stored run; fails after <paramref name="timeout"/>.</summary>
    public RunRecord WaitFor(int runId, Func<RunRecord, bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var run = Store.Runs.Get(runId)!;
            if (condition(run)) return run;
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"Run {runId} did not reach \"{what}\" in {timeout.TotalSeconds:F0} s: status {run.Status}, error {run.Error}, messages: {string.Join(" | ", run.Messages)}");
            Thread.Sleep(Poll);
        }
    }

    /// <summary>Waits until the run's checkpoint holds at least <paramref name="epochs"/> finished epochs.</summary>
    public void WaitForCheckpoint(int runId, int epochs, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while ((Store.CheckpointsFor(runId).LoadLatest()?.GlobalEpoch ?? 0) < epochs)
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"Run {runId} saved no checkpoint of epoch {epochs} in {timeout.TotalSeconds:F0} s: {Store.Runs.Get(runId)?.Status}");
            Thread.Sleep(Poll);
        }
    }

    public void Dispose()
    {
        foreach (var worker in _workers)
        {
            if (!worker.HasExited) worker.Kill(entireProcessTree: true);
            worker.WaitForExit(10_000);
            worker.Dispose();
        }
        Store.Dispose();
        NpgsqlConnection.ClearAllPools();
        Execute(_server, $"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
