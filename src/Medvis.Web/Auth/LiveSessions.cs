using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace Medvis.Web.Auth;

/// <summary>
/// Open connections that keep receiving without new requests: hub connections and Blazor circuits. Cookie checks
/// only run on requests, so a revoked share link or a disabled user would go on receiving a run's updates over a
/// connection opened before; each such connection registers here, and is ended when its principal no longer
/// resolves to a caller (at once after a revocation or a disabling here, and on a periodic recheck for expiries and
/// changes made by another process).
/// </summary>
public sealed class LiveSessions(CallerResolver callers, ILogger<LiveSessions> logger)
{
    private readonly ConcurrentDictionary<long, Session> _sessions = new();
    private long _nextId;

    /// <summary>Watches <paramref name="principal"/>'s connection; <paramref name="end"/> closes it. Dispose when it closes.</summary>
    public IDisposable Register(ClaimsPrincipal principal, Func<Task> end)
    {
        var id = Interlocked.Increment(ref _nextId);
        _sessions[id] = new Session(principal, end);
        return new Registration(this, id);
    }

    /// <summary>Ends every registered connection whose principal no longer resolves to a caller; returns how many.</summary>
    public async Task<int> EndInvalidAsync()
    {
        var ended = 0;
        foreach (var (id, session) in _sessions)
        {
            if (callers.Resolve(session.Principal) != Caller.Anonymous || !_sessions.TryRemove(id, out _)) continue;
            ended++;
            try { await session.End(); }
            catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or TaskCanceledException)
            {
                // The connection closed on its own meanwhile: nothing left to end.
                logger.LogDebug(e, "A live session had already closed.");
            }
        }
        if (ended > 0) logger.LogInformation("Ended {Count} open connection(s) whose access was withdrawn.", ended);
        return ended;
    }

    private sealed record Session(ClaimsPrincipal Principal, Func<Task> End);

    private sealed class Registration(LiveSessions owner, long id) : IDisposable
    {
        public void Dispose() => owner._sessions.TryRemove(id, out _);
    }
}

/// <summary>Rechecks the open connections periodically, so links that expire end their viewers' connections too.</summary>
public sealed class LiveSessionRecheck(LiveSessions sessions, IOptions<Extensions.MedvisOptions> options, ILogger<LiveSessionRecheck> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.LiveSessionRecheckSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { await sessions.EndInvalidAsync(); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database hiccup must not stop the rechecks; the next tick tries again.
                logger.LogWarning(e, "Rechecking open connections failed.");
            }
        }
    }
}
