using Npgsql;

namespace Medvis.Core.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema as numbered steps. Each step runs once, in order, in its own transaction, and is recorded in
/// <c>medvis_schema</c>; an advisory lock makes the web app and workers that start together apply each step once.
/// Steps are only ever appended: a released step never changes.
/// </summary>
public static class PostgresMigrations
{
    // Any constant works; it only has to be the same in every process that migrates this database.
    private const long MigrationLockKey = 0x4D45445649530001;

    /// <summary>The steps, oldest first; step i has version i + 1.</summary>
    public static IReadOnlyList<string> Steps { get; } =
    [
        // 1: records as JSON documents, with the columns queries filter on beside them; blobs as bytea.
        """
        CREATE TABLE datasets (id serial PRIMARY KEY, spec text NOT NULL, doc jsonb NOT NULL);
        CREATE INDEX datasets_spec ON datasets (spec);
        CREATE TABLE runs (id serial PRIMARY KEY, status text NOT NULL, doc jsonb NOT NULL);
        CREATE INDEX runs_status ON runs (status);
        CREATE TABLE run_artifacts (run_id integer NOT NULL, kind text NOT NULL, data bytea NOT NULL, PRIMARY KEY (run_id, kind));
        CREATE TABLE checkpoints (run_id integer PRIMARY KEY, global_epoch integer NOT NULL, saved_at timestamptz NOT NULL, state bytea NOT NULL);
        CREATE TABLE annotations (id serial PRIMARY KEY, run_id integer NOT NULL, doc jsonb NOT NULL);
        CREATE INDEX annotations_run ON annotations (run_id);
        CREATE TABLE users (id serial PRIMARY KEY, name_lower text NOT NULL UNIQUE, doc jsonb NOT NULL);
        CREATE TABLE audit (id serial PRIMARY KEY, doc jsonb NOT NULL);
        CREATE TABLE share_links (id serial PRIMARY KEY, run_ids integer[] NOT NULL, doc jsonb NOT NULL);
        """,
        // 2: a metadata table per dataset (JSON as bytea: one can pass jsonb's comfortable size), gone with its dataset.
        """
        CREATE TABLE dataset_metadata (dataset_id integer PRIMARY KEY REFERENCES datasets (id) ON DELETE CASCADE, data bytea NOT NULL);
        """,
        // 3: the replay's snapshots of each run, one row per kept snapshot (SnapshotCodec blob).
        """
        CREATE TABLE run_snapshots (run_id integer NOT NULL, global_epoch integer NOT NULL, data bytea NOT NULL, PRIMARY KEY (run_id, global_epoch));
        """,
        // 4: users' personal API tokens, found by the hash of their secret.
        """
        CREATE TABLE api_tokens (id serial PRIMARY KEY, user_id integer NOT NULL, secret_hash text NOT NULL UNIQUE, doc jsonb NOT NULL);
        CREATE INDEX api_tokens_user ON api_tokens (user_id);
        """,
    ];

    /// <summary>The version a fully migrated database has.</summary>
    public static int LatestVersion => Steps.Count;

    /// <summary>Applies the steps the database lacks; returns how many were applied.</summary>
    public static int Apply(NpgsqlDataSource dataSource)
    {
        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        Execute(connection, $"SELECT pg_advisory_xact_lock({MigrationLockKey})");
        Execute(connection, "CREATE TABLE IF NOT EXISTS medvis_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
        var current = CurrentVersion(connection);
        if (current > LatestVersion)
            throw new InvalidOperationException($"The database has schema version {current}, newer than this Medvis ({LatestVersion}): update Medvis.");
        for (var version = current + 1; version <= LatestVersion; version++)
        {
            Execute(connection, Steps[version - 1]);
            using var record = new NpgsqlCommand("INSERT INTO medvis_schema (version) VALUES (@v)", connection);
            record.Parameters.AddWithValue("v", version);
            record.ExecuteNonQuery();
        }
        transaction.Commit();
        return LatestVersion - current;
    }

    private static int CurrentVersion(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM medvis_schema", connection);
        return (int)command.ExecuteScalar()!;
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
