using Medvis.Web.Auth;
using Microsoft.AspNetCore.Components;

namespace Medvis.Web.Components.Pages.Admin;

/// <summary>Invite users (a one-time set-password link), change their role, disable them.</summary>
public partial class Users
{
    [Inject] private AccountService Accounts { get; set; } = default!;
    [Inject] private IMedvisStore Database { get; set; } = default!;
    [Inject] private CurrentCaller CurrentCaller { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private Caller _caller = Caller.Anonymous;
    private IReadOnlyList<UserRecord> _users = [];
    private string _name = "";
    private UserRole _role = UserRole.Member;
    private string? _link;
    private string? _linkFor;
    private string? _error;

    protected override async Task OnInitializedAsync()
    {
        _caller = await CurrentCaller.GetAsync();
        _users = Database.Users.All();
    }

    private Task InviteAsync() => ActAsync(caller =>
    {
        var (user, token) = Accounts.Invite(caller, _name, _role);
        ShowLink(user.Name, token);
        _name = "";
    });

    private Task ResetAsync(UserRecord user) => ActAsync(caller => ShowLink(user.Name, Accounts.ResetLink(caller, user.Id)));

    private Task ChangeRoleAsync(UserRecord user, UserRole role) => ActAsync(caller => Accounts.ChangeRole(caller, user.Id, role));

    private Task ToggleDisabledAsync(UserRecord user) => ActAwaitingAsync(caller => Accounts.SetDisabledAsync(caller, user.Id, !user.Disabled));

    /// <summary>Runs one change as the current caller; a refusal or bad input becomes the page's message.</summary>
    private Task ActAsync(Action<Caller> change) => ActAwaitingAsync(caller =>
    {
        change(caller);
        return Task.CompletedTask;
    });

    private async Task ActAwaitingAsync(Func<Caller, Task> change)
    {
        _error = null;
        try
        {
            await change(await CurrentCaller.GetAsync());
        }
        catch (Exception e) when (e is ArgumentException or AccessDeniedException)
        {
            _error = e.Message;
        }
        _users = Database.Users.All();
    }

    private void ShowLink(string name, string token)
    {
        _linkFor = name;
        _link = Navigation.ToAbsoluteUri($"account/set-password?token={Uri.EscapeDataString(token)}").ToString();
    }
}
