using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace Medvis.Web.Auth;

/// <summary>Passwords, invitations and user management; every change is checked against the caller and audited.</summary>
public sealed class AccountService(IMedvisStore database, IDataProtectionProvider protection, TimeProvider clock, LiveSessions sessions)
{
    /// <summary>Shortest password accepted.</summary>
    public const int MinPasswordLength = 8;

    /// <summary>How long an invitation's set-password link works.</summary>
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    private readonly PasswordHasher<UserRecord> _hasher = new();
    private readonly ITimeLimitedDataProtector _invitations = protection.CreateProtector("Medvis.Invitations").ToTimeLimitedDataProtector();

    /// <summary>The enabled user with that name and password, or null (also for users without a password).</summary>
    public UserRecord? Verify(string name, string password)
    {
        var user = database.Users.FindByName(name ?? "");
        if (user is null || user.Disabled || user.PasswordHash is null || string.IsNullOrEmpty(password)) return null;
        var outcome = _hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (outcome == PasswordVerificationResult.Failed) return null;
        if (outcome == PasswordVerificationResult.SuccessRehashNeeded)
            database.Users.Update(user.Id, u => u.PasswordHash = _hasher.HashPassword(u, password));
        return user;
    }

    /// <summary>Sets a user's own password; null when set, else why not. The audit log records the change (never the password).</summary>
    public string? SetPassword(int userId, string password, string confirmation) =>
        ChangePassword(userId, password, confirmation, "changed own password");

    private string? ChangePassword(int userId, string password, string confirmation, string action)
    {
        if (password.Length < MinPasswordLength) return $"A password needs at least {MinPasswordLength} characters.";
        if (password != confirmation) return "The two passwords differ.";
        if (!database.Users.Update(userId, u => u.PasswordHash = _hasher.HashPassword(u, password))) return "No such user.";
        var name = database.Users.Get(userId)?.Name ?? $"user {userId.ToString(CultureInfo.InvariantCulture)}";
        database.Audit.Add(name, action, name);
        return null;
    }

    /// <summary>Creates a user without a password and returns the token of a one-time set-password link.</summary>
    public (UserRecord User, string Token) Invite(Caller caller, string name, UserRole role)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanAdminister(caller), caller, "invite users");
        var user = database.Users.Add(name, role);
        database.Audit.Add(caller.Name, "invited user", $"{user.Name} as {role}");
        return (user, NewSetPasswordToken(user.Id));
    }

    /// <summary>A fresh one-time set-password link token for an existing user (one forgot theirs); older links stop working.</summary>
    public string ResetLink(Caller caller, int userId)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanAdminister(caller), caller, "reset passwords");
        var user = database.Users.Get(userId) ?? throw new ArgumentException($"User {userId} does not exist.");
        database.Audit.Add(caller.Name, "made a set-password link", user.Name);
        return NewSetPasswordToken(userId);
    }

    /// <summary>The user a set-password token belongs to, when it is genuine, unexpired and unused.</summary>
    public UserRecord? UserOfToken(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        string payload;
        try { payload = _invitations.Unprotect(token); }
        catch (CryptographicException) { return null; }
        var parts = payload.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return null;
        var user = database.Users.Get(id);
        return user is { Disabled: false, SetPasswordNonce: { } nonce } && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(nonce), System.Text.Encoding.UTF8.GetBytes(parts[1])) ? user : null;
    }

    /// <summary>Sets the password of a token's user and uses the token up; the user, or null with why not.</summary>
    public (UserRecord? User, string? Error) SetPasswordWithToken(string? token, string password, string confirmation)
    {
        if (UserOfToken(token) is not { } user) return (null, "This link is not valid any more: ask an admin for a new one.");
        if (ChangePassword(user.Id, password, confirmation, "set password with a one-time link") is { } problem) return (null, problem);
        database.Users.Update(user.Id, u => u.SetPasswordNonce = null);
        return (database.Users.Get(user.Id), null);
    }

    /// <summary>Changes a user's role; an admin cannot demote themself (someone must stay able to manage users).</summary>
    public void ChangeRole(Caller caller, int userId, UserRole role)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanAdminister(caller), caller, "change roles");
        if (userId == caller.UserId && role != UserRole.Admin) throw new ArgumentException("You cannot take away your own admin role.");
        var user = database.Users.Get(userId) ?? throw new ArgumentException($"User {userId} does not exist.");
        database.Users.Update(userId, u => u.Role = role);
        database.Audit.Add(caller.Name, "changed role", $"{user.Name}: {user.Role} → {role}");
    }

    /// <summary>Disables or re-enables a user; a disabled user's open hub connections and pages end at once.</summary>
    public async Task SetDisabledAsync(Caller caller, int userId, bool disabled)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanAdminister(caller), caller, "disable users");
        if (userId == caller.UserId) throw new ArgumentException("You cannot disable yourself.");
        var user = database.Users.Get(userId) ?? throw new ArgumentException($"User {userId} does not exist.");
        database.Users.Update(userId, u => u.Disabled = disabled);
        database.Audit.Add(caller.Name, disabled ? "disabled user" : "enabled user", user.Name);
        if (disabled) await sessions.EndInvalidAsync();
    }

    private string NewSetPasswordToken(int userId)
    {
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        database.Users.Update(userId, u => u.SetPasswordNonce = nonce);
        return _invitations.Protect($"{userId.ToString(CultureInfo.InvariantCulture)}:{nonce}", clock.GetUtcNow() + InvitationLifetime);
    }
}
