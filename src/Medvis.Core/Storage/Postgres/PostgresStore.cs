using Medvis.Core.Training;
using Npgsql;
using static Medvis.Core.Storage.Postgres.PostgresDocuments;

namespace Medvis.Core.Storage.Postgres;

/// <summary>
/// The Medvis store in a PostgreSQL database, shared by a web app and workers on other machines. Opening it applies
/// the schema migrations the database lacks (<see cref="PostgresMigrations"/>).
/// </summary>
public sealed class PostgresStore : IMedvisStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresDocuments _documents;
    private readonly PostgresArtifactStore _artifacts;

    /// <summary>Connects, migrates the schema and opens the repositories.</summary>
    /// <param name="connectionString">An Npgsql connection string (Host, Port, Database, Username, …).</param>
    /// <exception cref="InvalidOperationException">The server cannot be reached or the schema cannot be migrated (one line).</exception>
    public PostgresStore(string connectionString) : this(connectionString, DefaultReconnectWindow)
    {
    }

    /// <summary>How long a call waits for a server that went away (a restart, a fail-over) before its error stands.</summary>
    public static readonly TimeSpan DefaultReconnectWindow = TimeSpan.FromMinutes(2);

    /// <summary>Connects, migrates the schema and opens the repositories; calls wait up to <paramref name="reconnectWindow"/> for a server that went away.</summary>
    public PostgresStore(string connectionString, TimeSpan reconnectWindow)
    {
        NpgsqlConnectionStringBuilder settings;
        try { settings = new NpgsqlConnectionStringBuilder(connectionString); }
        catch (ArgumentException e) { throw new InvalidOperationException($"ConnectionStrings:Medvis is not a PostgreSQL connection string: {e.Message}", e); }
        Location = $"postgres://{settings.Host}:{settings.Port}/{settings.Database}";
        _dataSource = NpgsqlDataSource.Create(settings);
        try
        {
            PostgresMigrations.Apply(_dataSource);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            _dataSource.Dispose();
            throw new InvalidOperationException($"{Location}: cannot open the Medvis database ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")})", e);
        }
        _documents = new PostgresDocuments(_dataSource, new ReconnectingCalls(reconnectWindow));
        _artifacts = new PostgresArtifactStore(_documents);
        Datasets = new PostgresDatasetRepository(_documents);
        Runs = new PostgresRunRepository(_documents);
        Annotations = new PostgresAnnotationRepository(_documents);
        Users = new PostgresUserRepository(_documents);
        Audit = new PostgresAuditLog(_documents);
        ShareLinks = new PostgresShareLinkRepository(_documents);
        ApiTokens = new PostgresApiTokenRepository(_documents);
        Metadata = new PostgresDatasetMetadataStore(_documents);
        Snapshots = new PostgresSnapshotRepository(_documents);
    }

    /// <inheritdoc />
    public int CountDatasetsNow()
    {
        // Straight to the server, not through the reconnecting calls: a probe must not wait out a restart.
        using var command = _dataSource.CreateCommand("SELECT count(*) FROM datasets");
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>How many times a call of this store has waited for a server that went away.</summary>
    public int ReconnectWaits => _documents.Calls.Waits;

    /// <summary>The pooled connections of this store, for the queue and progress channels that share the database.</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    /// <inheritdoc />
    public string Location { get; }
    /// <inheritdoc />
    public IDatasetRepository Datasets { get; }
    /// <inheritdoc />
    public IRunRepository Runs { get; }
    /// <inheritdoc />
    public IRunArtifactStore Artifacts => _artifacts;
    /// <inheritdoc />
    public IAnnotationRepository Annotations { get; }
    /// <inheritdoc />
    public IUserRepository Users { get; }
    /// <inheritdoc />
    public IAuditLog Audit { get; }
    /// <inheritdoc />
    public IShareLinkRepository ShareLinks { get; }
    /// <inheritdoc />
    public IApiTokenRepository ApiTokens { get; }
    /// <inheritdoc />
    public IDatasetMetadataStore Metadata { get; }
    /// <inheritdoc />
    public ISnapshotRepository Snapshots { get; }

    /// <inheritdoc />
    public ICheckpointStore CheckpointsFor(int runId) => new PostgresCheckpointStore(_documents, runId);

    /// <inheritdoc />
    public void ClearCheckpoints(int runId) => new PostgresCheckpointStore(_documents, runId).Clear();

    /// <inheritdoc />
    public IReadOnlyList<int> RunsWithCheckpoints()
    {
        using var command = _dataSource.CreateCommand("SELECT run_id FROM checkpoints ORDER BY run_id");
        using var reader = command.ExecuteReader();
        var ids = new List<int>();
        while (reader.Read()) ids.Add(reader.GetInt32(0));
        return ids;
    }

    /// <inheritdoc />
    public long Compact()
    {
        var before = StoredBytes();
        // VACUUM FULL rewrites each table and its TOAST data without dead rows; it cannot run inside a transaction,
        // and a plain command is not one.
        using (var command = _dataSource.CreateCommand("VACUUM FULL"))
        {
            command.CommandTimeout = 0;
            command.ExecuteNonQuery();
        }
        return Math.Max(0, before - StoredBytes());
    }

    /// <inheritdoc />
    public long? FreeBytes() => null;

    /// <inheritdoc />
    public long StoredBytes()
    {
        using var command = _dataSource.CreateCommand("SELECT pg_database_size(current_database())");
        return Convert.ToInt64(command.ExecuteScalar());
    }

    /// <inheritdoc />
    public void DeleteRun(int runId)
    {
        _artifacts.DeleteAll(runId);
        ClearCheckpoints(runId);
        _documents.Execute("DELETE FROM annotations WHERE run_id = @run", Parameter("run", runId));
        Snapshots.DeleteForRun(runId);
        Runs.Delete(runId);
    }

    /// <inheritdoc />
    public void Dispose() => _dataSource.Dispose();
}
