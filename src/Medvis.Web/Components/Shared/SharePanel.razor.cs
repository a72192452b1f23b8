using Medvis.Web.Auth;
using Microsoft.AspNetCore.Components;

namespace Medvis.Web.Components.Shared;

/// <summary>Creates, lists and revokes the read-only share links of a run or a comparison.</summary>
public partial class SharePanel
{
    [Inject] private ShareLinks Shares { get; set; } = default!;
    [Inject] private CurrentCaller CurrentCaller { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary>The run (one) or the compared runs.</summary>
    [Parameter, EditorRequired] public int[] RunIds { get; set; } = [];

    [Parameter] public ShareKind Kind { get; set; } = ShareKind.Run;

    private Caller _caller = Caller.Anonymous;
    private int? _days;
    private int? _confirming; // the link whose revocation waits for a second click
    private string? _error;
    private IReadOnlyList<ShareLinkRecord> _links = [];

    protected override async Task OnParametersSetAsync()
    {
        _caller = await CurrentCaller.GetAsync();
        Reload();
    }

    private async Task CreateAsync()
    {
        _error = null;
        try
        {
            Shares.Create(await CurrentCaller.GetAsync(), Kind, RunIds, _days is { } days ? TimeSpan.FromDays(days) : null);
        }
        catch (Exception e) when (e is ArgumentException or AccessDeniedException)
        {
            _error = e.Message;
        }
        Reload();
    }

    private async Task RevokeAsync(int linkId)
    {
        _confirming = null;
        try
        {
            await Shares.RevokeAsync(await CurrentCaller.GetAsync(), linkId);
        }
        catch (Exception e) when (e is ArgumentException or AccessDeniedException)
        {
            _error = e.Message;
        }
        Reload();
    }

    private void Reload() => _links = RunIds.Length == 0 ? [] : Shares.ForRun(RunIds[0])
        .Where(l => l.Kind == Kind && l.RunIds.Order().SequenceEqual(RunIds.Order()))
        .ToList();

    private string UrlOf(ShareLinkRecord link) => Navigation.ToAbsoluteUri($"share/{Shares.TokenOf(link)}").ToString();

    private static string StateOf(ShareLinkRecord link) =>
        link.Revoked ? "revoked" : link.ExpiresAtUtc is { } at ? (at > DateTime.UtcNow ? $"until {at:yyyy-MM-dd HH:mm} UTC" : "expired") : "no expiry";
}
