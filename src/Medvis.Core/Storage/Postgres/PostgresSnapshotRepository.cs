using Npgsql;
using NpgsqlTypes;
using static Medvis.Core.Storage.Postgres.PostgresDocuments;

namespace Medvis.Core.Storage.Postgres;

/// <summary>The replay snapshots of runs in table <c>run_snapshots</c>, one row per kept snapshot.</summary>
internal sealed class PostgresSnapshotRepository(PostgresDocuments documents) : ISnapshotRepository
{
    /// <inheritdoc />
    public void Add(int runId, SnapshotPoint snapshot, int maxKept)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var data = SnapshotCodec.Encode(snapshot);
        documents.Calls.Run(() => { AddOnce(runId, snapshot, data, maxKept); return true; });
    }

    private void AddOnce(int runId, SnapshotPoint snapshot, byte[] data, int maxKept)
    {
        // One transaction: a viewer never sees the history half thinned, and a crash leaves it as it was.
        using var connection = documents.DataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        Execute(connection, "DELETE FROM run_snapshots WHERE run_id = @run AND global_epoch >= @epoch",
            Parameter("run", runId), Parameter("epoch", snapshot.GlobalEpoch));
        Execute(connection, "INSERT INTO run_snapshots (run_id, global_epoch, data) VALUES (@run, @epoch, @data)",
            Parameter("run", runId), Parameter("epoch", snapshot.GlobalEpoch), new NpgsqlParameter("data", NpgsqlDbType.Bytea) { Value = data });
        var drop = SnapshotThinning.ToDrop(Epochs(connection, runId), maxKept);
        if (drop.Count > 0)
            Execute(connection, "DELETE FROM run_snapshots WHERE run_id = @run AND global_epoch = ANY(@epochs)",
                Parameter("run", runId), new NpgsqlParameter("epochs", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = drop.ToArray() });
        transaction.Commit();
    }

    /// <inheritdoc />
    public IReadOnlyList<SnapshotPoint> ForRun(int runId)
    {
        using var command = documents.DataSource.CreateCommand("SELECT data FROM run_snapshots WHERE run_id = @run ORDER BY global_epoch");
        command.Parameters.Add(Parameter("run", runId));
        using var reader = command.ExecuteReader();
        var snapshots = new List<SnapshotPoint>();
        while (reader.Read()) snapshots.Add(SnapshotCodec.Decode(reader.GetFieldValue<byte[]>(0)));
        return snapshots;
    }

    /// <inheritdoc />
    public IReadOnlyList<int> EpochsOf(int runId)
    {
        using var connection = documents.DataSource.OpenConnection();
        return Epochs(connection, runId);
    }

    /// <inheritdoc />
    public void DeleteForRun(int runId) => documents.Execute("DELETE FROM run_snapshots WHERE run_id = @run", Parameter("run", runId));

    private static List<int> Epochs(NpgsqlConnection connection, int runId)
    {
        using var command = new NpgsqlCommand("SELECT global_epoch FROM run_snapshots WHERE run_id = @run ORDER BY global_epoch", connection);
        command.Parameters.Add(Parameter("run", runId));
        using var reader = command.ExecuteReader();
        var epochs = new List<int>();
        while (reader.Read()) epochs.Add(reader.GetInt32(0));
        return epochs;
    }

    private static void Execute(NpgsqlConnection connection, string sql, params NpgsqlParameter[] parameters)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        command.ExecuteNonQuery();
    }
}
