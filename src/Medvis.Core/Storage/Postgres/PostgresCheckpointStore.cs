using Medvis.Core.Training;
using static Medvis.Core.Storage.Postgres.PostgresDocuments;

namespace Medvis.Core.Storage.Postgres;

/// <summary>
/// The latest checkpoint of one run: one row of table <c>checkpoints</c>, replaced by a single upsert, which
/// PostgreSQL applies atomically (a worker killed mid-write leaves the previous checkpoint).
/// </summary>
internal sealed class PostgresCheckpointStore(PostgresDocuments documents, int runId) : ICheckpointStore
{
    /// <inheritdoc />
    public void Save(TrainingCheckpoint checkpoint)
    {
        using var state = new MemoryStream(checkpoint.State, writable: false);
        documents.Execute(
            """
            INSERT INTO checkpoints (run_id, global_epoch, saved_at, state) VALUES (@run, @epoch, @saved, @state)
            ON CONFLICT (run_id) DO UPDATE SET global_epoch = excluded.global_epoch, saved_at = excluded.saved_at, state = excluded.state
            """,
            Parameter("run", runId), Parameter("epoch", checkpoint.GlobalEpoch),
            Parameter("saved", DateTime.SpecifyKind(checkpoint.SavedAtUtc, DateTimeKind.Utc)), PostgresBlobs.Parameter("state", state));
    }

    /// <inheritdoc />
    public TrainingCheckpoint? LoadLatest() => PostgresBlobs.Read(documents,
        "SELECT global_epoch, saved_at, state FROM checkpoints WHERE run_id = @run",
        reader =>
        {
            // Sequential access: columns in order, the state last.
            var epoch = reader.GetInt32(0);
            var savedAt = reader.GetFieldValue<DateTime>(1);
            return new TrainingCheckpoint(epoch, PostgresBlobs.ReadBytes(reader, 2), savedAt);
        },
        Parameter("run", runId));

    /// <summary>Removes the run's checkpoint.</summary>
    public void Clear() => documents.Execute("DELETE FROM checkpoints WHERE run_id = @run", Parameter("run", runId));
}
