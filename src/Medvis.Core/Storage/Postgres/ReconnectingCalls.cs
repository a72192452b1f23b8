using System.Net.Sockets;
using Npgsql;

namespace Medvis.Core.Storage.Postgres;

/// <summary>
/// Runs a database call again while PostgreSQL is away (restarting, failing over, refusing connections during
/// start-up), waiting longer between tries up to <see cref="Window"/>; then the last error stands. A worker's run
/// thereby outlives a database restart: its epoch's progress write waits instead of failing the run. Only errors that
/// mean "no server right now" are retried; a failed statement is not.
/// </summary>
public sealed class ReconnectingCalls(TimeSpan window)
{
    private int _waits;

    /// <summary>How many times a call has waited for the server so far (for logs, health and tests).</summary>
    public int Waits => Volatile.Read(ref _waits);

    /// <summary>How long a call keeps trying before its error stands.</summary>
    public TimeSpan Window { get; } = window;

    /// <summary>The first wait; each next one doubles, up to <see cref="MaxDelay"/>.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between two tries.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    /// <summary>Calls <paramref name="call"/>, again while the server is away.</summary>
    public T Run<T>(Func<T> call)
    {
        var deadline = DateTime.UtcNow + Window;
        var delay = FirstDelay;
        while (true)
        {
            try
            {
                return call();
            }
            catch (Exception e) when (ServerAway(e) && DateTime.UtcNow + delay < deadline)
            {
                Interlocked.Increment(ref _waits);
                Thread.Sleep(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }

    /// <summary>Whether an error means the server is not there right now (so trying again later may succeed).</summary>
    public static bool ServerAway(Exception e) => e switch
    {
        // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up), 08xxx connection exceptions.
        PostgresException p => p.SqlState is "57P01" or "57P02" or "57P03" || p.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException n => n.IsTransient || n.InnerException is SocketException or IOException or EndOfStreamException,
        _ => false,
    };
}
