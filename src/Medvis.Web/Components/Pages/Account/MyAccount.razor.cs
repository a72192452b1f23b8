using System.Globalization;
using Medvis.Web.Auth;
using Microsoft.AspNetCore.Components;

namespace Medvis.Web.Components.Pages.Account;

/// <summary>The signed-in user's own page: who they are, and their personal API tokens (create, shown once; revoke).</summary>
public partial class MyAccount
{
    [Inject] private ApiTokens Tokens { get; set; } = default!;
    [Inject] private CurrentCaller CurrentCaller { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    private Caller _caller = Caller.Anonymous;
    private IReadOnlyList<ApiTokenRecord> _tokens = [];
    private string _name = "";
    private UserRole _role;
    private int? _days;
    private string? _secret;
    private string? _error;

    /// <summary>The roles a new token may have: the user's own and those below it.</summary>
    private IEnumerable<UserRole> GrantableRoles => Enum.GetValues<UserRole>().Where(r => AccessRules.CanCreateApiToken(_caller, r));

    protected override async Task OnInitializedAsync()
    {
        _caller = await CurrentCaller.GetAsync();
        _role = _caller.Role ?? UserRole.Viewer;
        _tokens = Tokens.OwnedBy(_caller);
    }

    private async Task CreateAsync()
    {
        (_secret, _error) = (null, null);
        var caller = await CurrentCaller.GetAsync();
        try
        {
            var expires = _days is { } days ? Clock.GetUtcNow().UtcDateTime.AddDays(days) : (DateTime?)null;
            var created = Tokens.Create(caller, _name, _role, expires);
            (_secret, _error) = (created.Secret, created.Error);
            if (created.Token is not null) _name = "";
        }
        catch (AccessDeniedException e)
        {
            _error = e.Message;
        }
        _tokens = Tokens.OwnedBy(caller);
    }

    private async Task RevokeAsync(ApiTokenRecord token)
    {
        _error = null;
        var caller = await CurrentCaller.GetAsync();
        try
        {
            Tokens.Revoke(caller, token.Id);
        }
        catch (Exception e) when (e is ArgumentException or AccessDeniedException)
        {
            _error = e.Message;
        }
        _tokens = Tokens.OwnedBy(caller);
    }

    private string StateOf(ApiTokenRecord token) =>
        token.RevokedAtUtc is not null ? "revoked" : token.IsActive(Clock.GetUtcNow().UtcDateTime) ? "active" : "expired";

    private static string When(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
}
