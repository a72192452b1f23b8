using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Medvis.Web.Auth;

/// <summary>
/// Read-only share links. The token is the link's id signed (and encrypted) with ASP.NET Core Data Protection, so
/// it cannot be guessed or altered; the stored record says whether it was revoked or expired.
/// </summary>
public sealed class ShareLinks(IMedvisStore database, IDataProtectionProvider protection, TimeProvider clock, LiveSessions sessions)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Medvis.ShareLinks");

    /// <summary>Makes a link to one run (or a comparison of 2–4 runs) the caller may read; returns the record and its token.</summary>
    public (ShareLinkRecord Link, string Token) Create(Caller caller, ShareKind kind, IReadOnlyCollection<int> runIds, TimeSpan? lifetime)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanShare(caller), caller, "share runs");
        foreach (var id in runIds)
            if (database.Runs.Get(id) is null) throw new ArgumentException($"Run {id} does not exist.");
        var expires = lifetime is { } span ? clock.GetUtcNow().UtcDateTime + span : (DateTime?)null;
        var link = database.ShareLinks.Add(kind, runIds, caller.Name, expires);
        database.Audit.Add(caller.Name, "shared", $"{kind.ToString().ToLowerInvariant()} of run(s) {string.Join(", ", link.RunIds)} as link {link.Id}");
        return (link, TokenOf(link));
    }

    /// <summary>The token of an existing link (links can be copied again from the run page).</summary>
    public string TokenOf(ShareLinkRecord link) => _protector.Protect(link.Id.ToString(CultureInfo.InvariantCulture));

    /// <summary>The active link a token stands for, or null (forged, revoked or expired).</summary>
    public ShareLinkRecord? Open(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            var id = int.Parse(_protector.Unprotect(token), NumberStyles.None, CultureInfo.InvariantCulture);
            return database.ShareLinks.Get(id) is { } link && link.IsActive(clock.GetUtcNow().UtcDateTime) ? link : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>The links that show a run, for its page.</summary>
    public IReadOnlyList<ShareLinkRecord> ForRun(int runId) => database.ShareLinks.ForRun(runId);

    /// <summary>Stops a link from opening; visitors holding it lose access at once, open hub connections and pages included.</summary>
    public async Task RevokeAsync(Caller caller, int linkId)
    {
        var link = database.ShareLinks.Get(linkId) ?? throw new ArgumentException($"Share link {linkId} does not exist.");
        AccessDeniedException.ThrowUnless(AccessRules.CanRevoke(caller, link), caller, "revoke this link");
        database.ShareLinks.Revoke(linkId);
        database.Audit.Add(caller.Name, "revoked share link", linkId.ToString(CultureInfo.InvariantCulture));
        await sessions.EndInvalidAsync();
    }

    /// <summary>Where a link's visitor lands: the run page or the comparison.</summary>
    public static string PageOf(ShareLinkRecord link) =>
        link.Kind == ShareKind.Run ? $"/runs/{link.RunIds[0]}" : $"/compare?runs={string.Join(',', link.RunIds)}";
}
