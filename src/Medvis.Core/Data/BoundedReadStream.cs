namespace Medvis.Core.Data;

/// <summary>
/// A read-only view of a stream that yields at most <see cref="Limit"/> bytes and fails when the inner stream holds
/// more, so a decompressor cannot produce more than its container declared.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long limit, string overflowMessage) : Stream
{
    /// <summary>Most bytes this stream yields.</summary>
    public long Limit { get; } = limit;

    /// <summary>Bytes read so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Bytes left before <see cref="Limit"/>.</summary>
    public long Remaining => Limit - BytesRead;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        if (Remaining == 0)
        {
            // One probe byte tells a stream that ends here from one that holds more than declared.
            Span<byte> probe = stackalloc byte[1];
            if (inner.Read(probe) > 0) throw new InvalidDataException(overflowMessage);
            return 0;
        }
        var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, Remaining)]);
        BytesRead += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
