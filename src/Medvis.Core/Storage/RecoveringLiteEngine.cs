using LiteDB;
using LiteDB.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medvis.Core.Storage;

/// <summary>
/// A LiteDB engine that outlives a failed write. LiteDB 5.0.x closes its engine on the first I/O error (a full
/// disk) and from then on fails every call, reads included, with that error or an ObjectDisposedException, until
/// the process restarts. This engine opens the data file and log itself (<see cref="LiteDbFiles"/>); when a write
/// to them has failed, or a call failed in a way that leaves LiteDB closed, the next call drops that engine, closes
/// both files and opens a fresh engine on them. The fresh engine reads what was committed to the files (LiteDB's
/// log recovery): nothing committed and written before the failure is lost. While the disk is still full reads
/// work again, and writes fail with the disk's error, each one opening a fresh engine for the calls after it.
/// A write returns only once LiteDB's background writer has put its pages into the log (<see cref="LiteDbLogWriter"/>),
/// so a write that returned is in the file, and one that did not make it fails.
/// A read that meets an engine just replaced is tried once more; a write never is. A write of several calls (a file
/// in chunks, then the pointer to it) runs on one engine (<see cref="OnOneEngine"/>): it fails rather than finishing
/// in a fresh engine without its first part.
/// </summary>
public sealed class RecoveringLiteEngine : ILiteEngine
{
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(5);
    private readonly string _path;
    private readonly IStorageVolume _volume;
    private readonly ILogger _logger;
    private readonly Lock _swap = new();
    private readonly ThreadLocal<Opened?> _pinned = new();
    private Opened _current;
    private bool _disposed;

    /// <summary>Opens (or creates) the database file <paramref name="path"/> on <paramref name="volume"/>.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="volume">The file system under it.</param>
    /// <param name="logger">Hears when a broken engine is replaced; none when null.</param>
    public RecoveringLiteEngine(string path, IStorageVolume volume, ILogger? logger = null)
    {
        _path = path;
        _volume = volume;
        _logger = logger ?? NullLogger.Instance;
        _current = Open();
    }

    /// <summary>How many times a broken engine was replaced (for logs and tests).</summary>
    public int Reopened { get; private set; }

    private sealed class Opened(LiteEngine engine, LiteDbFiles files)
    {
        public LiteEngine Engine { get; } = engine;
        public LiteDbFiles Files { get; } = files;
        public LiteDbLogWriter Writer { get; } = new(engine);
        public volatile Exception? BrokenBy;
        public bool IsBroken => BrokenBy is not null || Files.WriteFailure is not null;
    }

    private Opened Open()
    {
        var files = LiteDbFiles.Open(_path, _volume);
        try
        {
            return new Opened(new LiteEngine(new EngineSettings { DataStream = files.Data, LogStream = files.Log }), files);
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/>, a write of several calls, on the engine in use now: when that engine breaks
    /// meanwhile, its remaining calls fail with the failure instead of continuing in a fresh engine.
    /// </summary>
    /// <exception cref="IOException">A write failed (the disk is full).</exception>
    public void OnOneEngine(Action write)
    {
        if (_pinned.Value is not null)
        {
            write();
            return;
        }
        _pinned.Value = Healthy();
        try { write(); }
        finally { _pinned.Value = null; }
    }

    // The engine to use: the current one, or a fresh one when it is broken (never within OnOneEngine).
    private Opened Healthy()
    {
        if (_pinned.Value is { } pinned)
        {
            if (pinned.IsBroken || !ReferenceEquals(pinned, Volatile.Read(ref _current)))
            {
                var failure = pinned.Files.WriteFailure ?? pinned.BrokenBy ?? new IOException("the database was opened again meanwhile");
                throw new IOException(Line(failure), failure);
            }
            return pinned;
        }
        var current = Volatile.Read(ref _current);
        if (!current.IsBroken) return current;
        lock (_swap)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            current = _current;
            if (!current.IsBroken) return current;
            var cause = current.Files.WriteFailure ?? current.BrokenBy!;
            Drop(current);
            try
            {
                _current = Open();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _logger.LogError(e, "{Path}: the database could not be opened again after a failed write ({Cause})", _path, Line(cause));
                throw new IOException($"{_path}: the database could not be opened again after a failed write ({Line(cause)}): {Line(e)}", e);
            }
            Reopened++;
            _logger.LogWarning("{Path}: a write failed ({Cause}); the database was opened again with what reached the file ({Count} time(s) since it was opened)",
                _path, Line(cause), Reopened);
            return _current;
        }
    }

    // A healthy engine closes normally (it checkpoints its log into the file). LiteDB has already closed a broken
    // one (closing again returns at once); the wait only bounds a close that would wait for a log writer that died.
    // Then the files are closed for sure.
    private static void Drop(Opened opened)
    {
        if (!opened.IsBroken)
        {
            try { opened.Engine.Dispose(); }
            finally { opened.Files.Dispose(); }
            return;
        }
        var close = Task.Run(() =>
        {
            try { opened.Engine.Dispose(); }
            catch (Exception) { } // a broken engine may fail to close; its files are closed below either way
        });
        close.Wait(CloseWait);
        opened.Files.Dispose();
    }

    // Whether a failed call leaves the engine closed: LiteDB closes it on any I/O error, and a closed engine answers
    // with its first error, an ObjectDisposedException (its locks) or ENGINE_DISPOSED.
    private static bool Breaks(Opened opened, Exception e) =>
        opened.Files.WriteFailure is not null
        || e is IOException or ObjectDisposedException
        || e is LiteException { ErrorCode: LiteException.ENGINE_DISPOSED or LiteException.INVALID_DATAFILE_STATE };

    private static string Line(Exception e) => e.Message.ReplaceLineEndings(" ").Trim();

    private Exception Describe(Opened opened, Exception e) => e is IOException
        ? e
        : new IOException($"{_path}: storage write failed ({Line(opened.Files.WriteFailure ?? e)}); the database is opened again on the next call", e);

    // A write returns once its pages are in the log file, and fails when they could not be written.
    private T Write<T>(Func<Opened, T> call)
    {
        var opened = Healthy();
        try
        {
            var result = call(opened);
            opened.Writer.WaitUntilWritten();
            if (opened.Files.WriteFailure is { } failure) throw new IOException(Line(failure), failure);
            return result;
        }
        catch (Exception e) when (Breaks(opened, e))
        {
            opened.BrokenBy ??= e;
            if (e is IOException) throw;
            throw Describe(opened, e);
        }
    }

    private T Read<T>(Func<Opened, T> call)
    {
        var opened = Healthy();
        try { return call(opened); }
        catch (Exception e) when (Breaks(opened, e))
        {
            opened.BrokenBy ??= e;
        }
        // Reads change nothing: one more try on a fresh engine.
        var fresh = Healthy();
        try { return call(fresh); }
        catch (Exception e) when (Breaks(fresh, e))
        {
            fresh.BrokenBy ??= e;
            if (e is IOException) throw;
            throw Describe(fresh, e);
        }
    }

    /// <inheritdoc />
    public IBsonDataReader Query(string collection, Query query) => Read(o => (IBsonDataReader)new WatchedReader(o.Engine.Query(collection, query), o, this));
    /// <inheritdoc />
    public BsonValue Pragma(string name) => Read(o => o.Engine.Pragma(name));
    /// <inheritdoc />
    public int Insert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Write(o => o.Engine.Insert(collection, docs, autoId));
    /// <inheritdoc />
    public int Update(string collection, IEnumerable<BsonDocument> docs) => Write(o => o.Engine.Update(collection, docs));
    /// <inheritdoc />
    public int UpdateMany(string collection, BsonExpression transform, BsonExpression predicate) => Write(o => o.Engine.UpdateMany(collection, transform, predicate));
    /// <inheritdoc />
    public int Upsert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Write(o => o.Engine.Upsert(collection, docs, autoId));
    /// <inheritdoc />
    public int Delete(string collection, IEnumerable<BsonValue> ids) => Write(o => o.Engine.Delete(collection, ids));
    /// <inheritdoc />
    public int DeleteMany(string collection, BsonExpression predicate) => Write(o => o.Engine.DeleteMany(collection, predicate));
    /// <inheritdoc />
    public bool DropCollection(string name) => Write(o => o.Engine.DropCollection(name));
    /// <inheritdoc />
    public bool RenameCollection(string name, string newName) => Write(o => o.Engine.RenameCollection(name, newName));
    /// <inheritdoc />
    public bool EnsureIndex(string collection, string name, BsonExpression expression, bool unique) => Write(o => o.Engine.EnsureIndex(collection, name, expression, unique));
    /// <inheritdoc />
    public bool DropIndex(string collection, string name) => Write(o => o.Engine.DropIndex(collection, name));
    /// <inheritdoc />
    public bool Pragma(string name, BsonValue value) => Write(o => o.Engine.Pragma(name, value));
    /// <inheritdoc />
    public int Checkpoint() => Write(o => o.Engine.Checkpoint());
    /// <inheritdoc />
    public bool BeginTrans() => Write(o => o.Engine.BeginTrans());
    /// <inheritdoc />
    public bool Commit() => Write(o => o.Engine.Commit());
    /// <inheritdoc />
    public bool Rollback() => Write(o => o.Engine.Rollback());

    /// <summary>
    /// Rewrites the file without its free pages. LiteDB rebuilds only files it opens by name, so this engine's files
    /// are closed, LiteDB rebuilds the file by name, and the file is opened again.
    /// </summary>
    public long Rebuild(RebuildOptions options)
    {
        lock (_swap)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Drop(_current);
            try
            {
                using var byName = new LiteEngine(new EngineSettings { Filename = _path });
                return byName.Rebuild(options);
            }
            finally
            {
                _current = Open();
            }
        }
    }

    /// <summary>Closes the engine (a healthy one checkpoints its log into the file) and both files.</summary>
    public void Dispose()
    {
        lock (_swap)
        {
            if (_disposed) return;
            _disposed = true;
            Drop(_current);
        }
        _pinned.Dispose();
    }

    // Query results are read after Query returned: a failure while reading marks the engine broken too.
    private sealed class WatchedReader(IBsonDataReader inner, Opened opened, RecoveringLiteEngine owner) : IBsonDataReader
    {

        public BsonValue this[string field] => inner[field];
        public string Collection => inner.Collection;
        public BsonValue Current => inner.Current;
        public bool HasValues => inner.HasValues;

        public bool Read()
        {
            try { return inner.Read(); }
            catch (Exception e) when (Breaks(opened, e))
            {
                opened.BrokenBy ??= e;
                if (e is IOException) throw;
                throw owner.Describe(opened, e);
            }
        }

        public void Dispose() => inner.Dispose();
    }
}
