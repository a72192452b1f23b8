using Medvis.Core.Storage;

namespace Medvis.Core.Tests.Storage;

/// <summary>
/// A disk of a fixed size in a temporary folder: writes that would grow its files past the capacity fail with
/// "No space left on device", as a full disk's do. <see cref="Fill"/> stands in for another process taking the rest
/// of the space, <see cref="Free"/> for someone clearing it. When <see cref="Blind"/> the free space reads unknown, so
/// the store's free-space check lets every write through (the disk filled up between the check and the write).
/// </summary>
internal sealed class FillingVolume(string folder, long capacity) : IStorageVolume
{
    private long _filler;

    public long Capacity => capacity;

    public bool Blind { get; set; }

    /// <summary>Bytes the files hold plus what "another process" took.</summary>
    public long Used => Directory.EnumerateFiles(folder).Sum(f => new FileInfo(f).Length) + Interlocked.Read(ref _filler);

    /// <summary>Takes all but <paramref name="leave"/> bytes of the disk.</summary>
    public void Fill(long leave = 0) => Interlocked.Add(ref _filler, Math.Max(0, capacity - Used - leave));

    /// <summary>Gives back what <see cref="Fill"/> took.</summary>
    public void Free() => Interlocked.Exchange(ref _filler, 0);

    public long? FreeBytes(string path) => Blind ? null : Math.Max(0, capacity - Used);

    public Stream OpenFile(string path)
    {
        Assert.Equal(Path.GetFullPath(folder), Path.GetDirectoryName(Path.GetFullPath(path)));
        return new CapacityStream(LocalVolume.Instance.OpenFile(path), this);
    }

    private sealed class CapacityStream(Stream inner, FillingVolume volume) : Stream
    {
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value)
        {
            Grow(value - inner.Length);
            inner.SetLength(value);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Grow(inner.Position + count - inner.Length);
            inner.Write(buffer, offset, count);
        }

        private void Grow(long bytes)
        {
            if (bytes > 0 && volume.Used + bytes > volume.Capacity) throw new IOException("No space left on device");
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
