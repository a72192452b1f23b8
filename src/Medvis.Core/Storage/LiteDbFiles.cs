namespace Medvis.Core.Storage;

/// <summary>
/// The data file and the write-ahead log of one LiteDB database, opened by the store rather than by LiteDB. LiteDB
/// 5.0.x keeps its first write error (a full disk) and fails every later call with it, and the streams it opened
/// itself cannot be closed from outside, so the file stays in use; with the streams in the store's hands a broken
/// engine can be dropped, its files closed for sure and a fresh engine opened on the same file.
/// After the first failed write nothing more is written to either file (a later page after a missing one would
/// turn the log's tail into a transaction with a hole), so the files keep what was written up to the failure. A
/// failed log write is recorded but not thrown: LiteDB writes its log from a background thread, and a thread that
/// dies there leaves a commit waiting for it forever; the next call sees the failure and replaces the engine.
/// The log's flush to disk (fsync) runs beside the writer instead of in its way: LiteDB acknowledges a commit before
/// the fsync either way, and the store waits for each write to reach the file (<see cref="LiteDbLogWriter"/>), which
/// would otherwise wait for the previous write's fsync too. The data file's flush stays in line: a checkpoint
/// clears the log only after it.
/// </summary>
public sealed class LiteDbFiles : IDisposable
{
    private readonly string _logPath;

    private readonly Fence _fence;

    private LiteDbFiles(string dataPath, string logPath, WatchedStream data, WatchedStream log, Fence fence)
    {
        _fence = fence;
        DataPath = dataPath;
        _logPath = logPath;
        Data = data;
        Log = log;
    }

    /// <summary>The data file.</summary>
    public string DataPath { get; }
    /// <summary>The data file's stream, for <see cref="LiteDB.Engine.EngineSettings.DataStream"/>.</summary>
    public Stream Data { get; }
    /// <summary>The log's stream, for <see cref="LiteDB.Engine.EngineSettings.LogStream"/>.</summary>
    public Stream Log { get; }

    /// <summary>The first write to either file that failed (the engine using them is broken from then on), or null.</summary>
    public Exception? WriteFailure => _fence.Failure;

    /// <summary>LiteDB's log file beside a data file: "name-log.ext".</summary>
    public static string LogPathOf(string dataPath) =>
        Path.Combine(Path.GetDirectoryName(dataPath)!, $"{Path.GetFileNameWithoutExtension(dataPath)}-log{Path.GetExtension(dataPath)}");

    /// <summary>Opens (or creates) the data file and its log on <paramref name="volume"/>.</summary>
    public static LiteDbFiles Open(string dataPath, IStorageVolume volume)
    {
        var logPath = LogPathOf(dataPath);
        var data = volume.OpenFile(dataPath);
        try
        {
            var fence = new Fence();
            return new LiteDbFiles(dataPath, logPath, new WatchedStream(data, fence, isLog: false),
                new WatchedStream(volume.OpenFile(logPath), fence, isLog: true), fence);
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    /// <summary>Closes both files (whatever state the engine left them in) and removes an empty log, as LiteDB does.</summary>
    public void Dispose()
    {
        var logEmpty = ((WatchedStream)Log).Release();
        ((WatchedStream)Data).Release();
        if (!logEmpty) return;
        try { File.Delete(_logPath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // it is recreated empty anyway
    }

    /// <summary>The first failed write to either file; once set, no more writes.</summary>
    private sealed class Fence
    {
        private Exception? _failure;

        public Exception? Failure => Volatile.Read(ref _failure);

        public void Close(Exception failure) => Interlocked.CompareExchange(ref _failure, failure, null);
    }

    /// <summary>
    /// A file stream behind the fence, that only the store closes: LiteDB disposes the streams it is given in some
    /// error paths, which must not close the store's file under it.
    /// </summary>
    private sealed class WatchedStream(Stream inner, Fence fence, bool isLog) : Stream
    {
        private readonly Lock _syncGate = new();
        private Task? _syncing;
        private bool _syncAgain;
        private int _released;

        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void Write(byte[] buffer, int offset, int count) => Watch(() => inner.Write(buffer, offset, count));
        public override void SetLength(long value) => Watch(() => inner.SetLength(value));

        // LiteDB only flushes to make a commit or checkpoint durable, so every flush goes to the disk; the log's in the
        // background, one at a time, a request during one repeating it once it is done.
        public override void Flush()
        {
            if (!isLog)
            {
                Watch(FlushToDisk);
                return;
            }
            lock (_syncGate)
            {
                if (_syncing is { IsCompleted: false })
                {
                    _syncAgain = true;
                    return;
                }
                _syncing = Task.Run(SyncLog);
            }
        }

        private void SyncLog()
        {
            while (true)
            {
                try { Watch(FlushToDisk); }
                catch (ObjectDisposedException) { return; } // released meanwhile
                lock (_syncGate)
                {
                    if (!_syncAgain) return;
                    _syncAgain = false;
                }
            }
        }

        private void FlushToDisk()
        {
            if (inner is FileStream file) file.Flush(flushToDisk: true);
            else inner.Flush();
        }

        private void Watch(Action write)
        {
            if (fence.Failure is { } earlier)
            {
                if (isLog) return;
                throw new IOException($"an earlier write failed ({earlier.Message.ReplaceLineEndings(" ").Trim()}); nothing more is written to this file until it is opened again", earlier);
            }
            try { write(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                fence.Close(e);
                if (!isLog) throw;
            }
        }

        // Closing is the store's decision (Release), never LiteDB's.
        protected override void Dispose(bool disposing) { }

        /// <summary>Closes the file; true when it was empty. Never throws: the file is closed either way.</summary>
        public bool Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 1) return false;
            Task? syncing;
            lock (_syncGate) syncing = _syncing;
            syncing?.Wait(TimeSpan.FromSeconds(10));
            var empty = false;
            try { empty = inner.Length == 0; }
            catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException) { }
            try { inner.Dispose(); }
            catch (Exception e) when (e is IOException or ObjectDisposedException) { }
            return empty;
        }
    }
}
