using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Medvis.Web.Auth;

/// <summary>
/// The one-time admin set-up link. While no admin can sign in with a password, each start makes a random token and
/// prints <c>/account/setup?token=…</c> to the console (as Jupyter prints its token URL); opening it signs the
/// visitor in as the admin. The token lives only in this process and works once.
/// </summary>
public sealed class AdminSetup(IMedvisStore database)
{
    /// <summary>The name of the admin the link creates when there is none.</summary>
    public const string DefaultAdminName = "admin";

    private readonly Lock _lock = new();
    private string? _token;

    /// <summary>The unused token, or null once used or when none was needed.</summary>
    public string? Token { get { lock (_lock) return _token; } }

    /// <summary>Makes a token when no admin can sign in; returns it, or null when none is needed.</summary>
    public string? CreateTokenIfNeeded()
    {
        if (database.Users.AnAdminCanSignIn()) return null;
        lock (_lock) return _token = NewToken();
    }

    /// <summary>
    /// A fresh token when no admin can sign in and the last one was used (its browser closed before a password was
    /// set); null when none is needed or an unused one is still out, so the log is not flooded.
    /// </summary>
    public string? RenewIfUsedUp()
    {
        if (database.Users.AnAdminCanSignIn()) return null;
        lock (_lock) return _token is null ? _token = NewToken() : null;
    }

    /// <summary>Whether no admin can sign in with a password yet.</summary>
    public bool Pending => !database.Users.AnAdminCanSignIn();

    private static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();

    /// <summary>Uses the token up and returns the admin to sign in as (created when missing); null for a wrong or used token.</summary>
    public UserRecord? Redeem(string? token)
    {
        lock (_lock)
        {
            if (_token is null || token is null
                || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(_token), Encoding.UTF8.GetBytes(token))) return null;
            _token = null;
        }
        var admin = database.Users.All().FirstOrDefault(u => u.Role == UserRole.Admin && !u.Disabled) ?? RestoreDefaultAdmin();
        database.Audit.Add(admin.Name, "signed in with the set-up link", "");
        return admin;
    }

    // No enabled admin: the user called "admin" becomes one again (created when missing).
    private UserRecord RestoreDefaultAdmin()
    {
        if (database.Users.FindByName(DefaultAdminName) is not { } existing) return database.Users.Add(DefaultAdminName, UserRole.Admin);
        database.Users.Update(existing.Id, u => { u.Role = UserRole.Admin; u.Disabled = false; });
        return database.Users.Get(existing.Id)!;
    }
}

/// <summary>Prints the set-up link once the server listens (the link needs its address).</summary>
public sealed class AdminSetupAnnouncer(AdminSetup setup, IServer server, IHostApplicationLifetime lifetime, ILogger<AdminSetupAnnouncer> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Announce);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Announce()
    {
        if (setup.CreateTokenIfNeeded() is { } token) Log(token);
    }

    /// <summary>
    /// Prints a fresh link when no admin can sign in and the last link was used up (the sign-in page calls it), so a
    /// set-up interrupted before a password was set needs no restart; true while the set-up is pending.
    /// </summary>
    public bool AnnounceAgainIfUsedUp()
    {
        if (setup.RenewIfUsedUp() is { } token) Log(token);
        return setup.Pending;
    }

    private void Log(string token)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()?.TrimEnd('/') ?? "";
        // Warning level, so it shows with the default (and the production) log filters.
        logger.LogWarning("No admin can sign in yet. Open this one-time link to set up Medvis as its admin:{NewLine}    {Link}",
            Environment.NewLine, $"{address}/account/setup?token={token}");
    }
}
