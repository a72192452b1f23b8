using Medvis.Core.Storage;
using Medvis.Web.Auth;

namespace Medvis.Web.Training;

/// <summary>What compacting the database did.</summary>
/// <param name="BytesBefore">The file's size before.</param>
/// <param name="BytesAfter">The file's size after.</param>
/// <param name="CheckpointsRemoved">Checkpoints of ended runs removed first.</param>
public sealed record CompactionResult(long BytesBefore, long BytesAfter, int CheckpointsRemoved);

/// <summary>
/// Admin housekeeping of the database: drops checkpoints of ended runs and compacts the store (LiteDB
/// <c>Rebuild</c>, PostgreSQL <c>VACUUM FULL</c>). Refused while a run is queued or training, as the rebuild closes and reopens the engine.
/// </summary>
public sealed class DatabaseMaintenance(IMedvisStore database, ILogger<DatabaseMaintenance> logger)
{
    private readonly Lock _compacting = new();

    /// <summary>The database's size on disk now (LiteDB: the data file and its write-ahead log; PostgreSQL: the database).</summary>
    public long FileBytes => database.StoredBytes();

    /// <summary>The bytes free on the database's disk, or null when the store cannot tell (PostgreSQL).</summary>
    public long? FreeBytes => database.FreeBytes();

    /// <summary>Why compaction cannot run now, or null when it can.</summary>
    public string? WhyNotNow() =>
        database.Runs.WithStatus(RunStatus.Queued, RunStatus.Running).Count is var busy and > 0
            ? $"{busy} run(s) are queued or training; compact once they have ended"
            : null;

    /// <summary>Compacts the database file for an admin.</summary>
    /// <exception cref="AccessDeniedException">The caller is not an admin.</exception>
    /// <exception cref="InvalidOperationException">A run is queued or training.</exception>
    /// <exception cref="StorageFullException">The disk has no room for the compacted copy.</exception>
    public CompactionResult Compact(Caller caller)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanAdminister(caller), caller, "compact the database");
        lock (_compacting)
        {
            if (WhyNotNow() is { } reason) throw new InvalidOperationException(reason);
            var before = FileBytes;
            var removed = RemoveCheckpointsOfEndedRuns();
            database.Compact();
            var after = FileBytes;
            database.Audit.Add(caller.Name, "compacted the database", $"{before:N0} → {after:N0} bytes, {removed} checkpoint(s) removed");
            logger.LogInformation("Database compacted from {Before} to {After} bytes", before, after);
            return new CompactionResult(before, after, removed);
        }
    }

    /// <summary>
    /// Removes the checkpoints of runs that are neither queued nor training (or are gone); returns how many. A
    /// cancelled run keeps its checkpoint until it is resumed or deleted.
    /// </summary>
    public int RemoveCheckpointsOfEndedRuns()
    {
        var removed = 0;
        foreach (var runId in database.RunsWithCheckpoints())
        {
            if (database.Runs.Get(runId) is { } run && Core.Lab.RunResumption.KeepsCheckpoint(run.Status)) continue;
            database.ClearCheckpoints(runId);
            removed++;
        }
        return removed;
    }
}
