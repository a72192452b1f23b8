namespace Medvis.Web.Auth;

/// <summary>
/// What each caller may do. Pages ask these to hide what a caller cannot use; services ask them again before
/// acting, so a forced request is refused too.
/// </summary>
public static class AccessRules
{
    /// <summary>Users read every run; a share-link visitor reads only the runs of the link.</summary>
    public static bool CanRead(Caller caller, int runId) => caller.IsUser || caller.Share?.RunIds.Contains(runId) == true;

    /// <summary>Lists of runs and datasets, dataset images and live status of all runs: users only.</summary>
    public static bool CanBrowse(Caller caller) => caller.IsUser;

    public static bool CanRegisterDatasets(Caller caller) => caller.IsAtLeast(UserRole.Admin);

    /// <summary>Upload a dataset (an npz or a zip of class folders) into the managed upload folder.</summary>
    public static bool CanUploadDatasets(Caller caller) => caller.IsAtLeast(UserRole.Member);

    public static bool CanQueueRuns(Caller caller) => caller.IsAtLeast(UserRole.Member);

    /// <summary>Import a map computed elsewhere (a CSV of index, x, y) as a finished run.</summary>
    public static bool CanImportMaps(Caller caller) => caller.IsAtLeast(UserRole.Member);

    /// <summary>Cancel or delete: admins any run, members their own.</summary>
    public static bool CanManageRun(Caller caller, RunRecord run) =>
        caller.IsAtLeast(UserRole.Admin) || (caller.IsAtLeast(UserRole.Member) && caller.UserId != 0 && run.OwnerId == caller.UserId);

    public static bool CanTag(Caller caller) => caller.IsAtLeast(UserRole.Member);

    /// <summary>Attach or remove a dataset's metadata table: members and admins.</summary>
    public static bool CanAttachMetadata(Caller caller) => caller.IsAtLeast(UserRole.Member);

    /// <summary>Out-of-sample uploads.</summary>
    public static bool CanPlaceImages(Caller caller) => caller.IsAtLeast(UserRole.Member);

    /// <summary>Create share links for runs the caller may read.</summary>
    public static bool CanShare(Caller caller) => caller.IsAtLeast(UserRole.Member);

    /// <summary>Admins revoke any link; members the ones they made.</summary>
    public static bool CanRevoke(Caller caller, ShareLinkRecord share) =>
        caller.IsAtLeast(UserRole.Admin) || (caller.IsAtLeast(UserRole.Member) && share.CreatedBy == caller.Name);

    /// <summary>A personal API token with <paramref name="role"/>: users, for their own role or a lower one.</summary>
    public static bool CanCreateApiToken(Caller caller, UserRole role) => caller.IsUser && caller.UserId != 0 && role <= caller.Role;

    /// <summary>Revoke an API token: its owner, and admins any token.</summary>
    public static bool CanRevokeApiToken(Caller caller, ApiTokenRecord token) =>
        caller.IsAtLeast(UserRole.Admin) || (caller.IsUser && caller.UserId != 0 && token.UserId == caller.UserId);

    /// <summary>Users, roles, the audit log.</summary>
    public static bool CanAdminister(Caller caller) => caller.IsAtLeast(UserRole.Admin);
}

/// <summary>A caller asked for something its role does not allow; the message is safe to show.</summary>
public sealed class AccessDeniedException(string message) : Exception(message)
{
    /// <summary>Throws unless <paramref name="allowed"/>.</summary>
    public static void ThrowUnless(bool allowed, Caller caller, string what)
    {
        if (!allowed) throw new AccessDeniedException(MessageFor(caller, what));
    }

    /// <summary>What a caller is told when its role does not allow <paramref name="what"/>.</summary>
    public static string MessageFor(Caller caller, string what) => caller.IsUser ? $"Your role ({caller.Role}) may not {what}." : $"Sign in to {what}.";
}
