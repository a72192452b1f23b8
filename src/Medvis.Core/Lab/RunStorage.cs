using Medvis.Core.Runs;
using Medvis.Core.Storage;
using Medvis.Core.Training;

namespace Medvis.Core.Lab;

/// <summary>Where a run's checkpoints and artifacts go; a seam so tests can make storage fail.</summary>
public interface IRunSinkFactory
{
    /// <summary>The sink of run <paramref name="runId"/>.</summary>
    IMapRunSink For(int runId);
}

/// <summary>The store, as runs are stored by default.</summary>
public sealed class StoredRunSinkFactory(IMedvisStore database) : IRunSinkFactory
{
    /// <inheritdoc />
    public IMapRunSink For(int runId) => new StoredRunSink(database, runId);
}

/// <summary>A write to storage failed (a full disk, a lost mount): the run cannot go on and says why.</summary>
public sealed class RunStorageException(string what, Exception cause)
    : IOException($"storage write failed while saving the {what} (is the disk full?): {cause.Message.ReplaceLineEndings(" ").Trim()}", cause);

/// <summary>Which errors mean that a write to storage failed, in either store.</summary>
public static class StorageWriteFailures
{
    /// <summary>
    /// An I/O error (the disk under the LiteDB file, the upload folder) or PostgreSQL's <c>disk_full</c> (SQLSTATE
    /// 53100: "could not extend file …: No space left on device" from the database server's disk, after which the
    /// server rolls the statement back and carries on).
    /// </summary>
    public static bool Is(Exception e) => e is IOException || e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.DiskFull };
}

/// <summary>
/// Wraps a sink so that an I/O error while writing a checkpoint or the results reads as a storage failure
/// naming what was being saved, not as a problem of the dataset (loaders throw IOException too).
/// </summary>
public sealed class StorageFailureSink(IMapRunSink inner) : IMapRunSink
{
    /// <inheritdoc />
    public ICheckpointStore Checkpoints { get; } = new Store(inner.Checkpoints);

    /// <inheritdoc />
    public void Save(MapRunArtifacts artifacts)
    {
        try { inner.Save(artifacts); }
        catch (Exception e) when (e is not RunStorageException && StorageWriteFailures.Is(e)) { throw new RunStorageException("map, metrics and model", e); }
    }

    private sealed class Store(ICheckpointStore inner) : ICheckpointStore
    {
        public void Save(TrainingCheckpoint checkpoint)
        {
            try { inner.Save(checkpoint); }
            catch (Exception e) when (e is not RunStorageException && StorageWriteFailures.Is(e)) { throw new RunStorageException("checkpoint", e); }
        }

        public TrainingCheckpoint? LoadLatest() => inner.LoadLatest();
    }
}
