using Bunit;
using Medvis.Core.Storage;
using Medvis.Web.Auth;
using Medvis.Web.Components.Shared;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Components;

/// <summary>The share panel: a revocation asks first (Keep leaves the link working), and each link has a copy button.</summary>
public sealed class SharePanelTests : DatabasePageTestContext
{
    private int AddRun() => Database.Runs.Add(new RunRecord { Name = "map", DatasetName = "demo", Status = RunStatus.Done, OwnerId = User.Id, OwnerName = User.Name }).Id;

    [Fact]
    public void RevokingAsksFirstAndKeepLeavesTheLinkWorking()
    {
        var runId = AddRun();
        var shares = Services.GetRequiredService<ShareLinks>();
        var (link, token) = shares.Create(Caller, ShareKind.Run, [runId], null);
        JSInterop.Setup<bool>("medvis.copyText", _ => true).SetResult(true);
        var cut = Render<SharePanel>(p => p.Add(c => c.RunIds, [runId]));

        cut.Find($"[data-testid=revoke-share-{link.Id}]").Click();
        Assert.Contains("never works again", cut.Find($"[data-testid=confirm-revoke-text-{link.Id}]").TextContent);
        Assert.NotNull(shares.Open(token)); // one click revokes nothing
        cut.Find($"[data-testid=keep-share-{link.Id}]").Click();
        Assert.NotNull(shares.Open(token));
        Assert.Empty(cut.FindAll($"[data-testid=confirm-revoke-{link.Id}]"));

        cut.Find($"[data-testid=revoke-share-{link.Id}]").Click();
        cut.Find($"[data-testid=confirm-revoke-{link.Id}]").Click();
        Assert.Null(shares.Open(token));
        cut.WaitForAssertion(() => Assert.Contains("revoked", cut.Markup));
    }

    [Fact]
    public void TheCopyButtonCopiesTheLinkAndSaysSo()
    {
        var runId = AddRun();
        var (link, _) = Services.GetRequiredService<ShareLinks>().Create(Caller, ShareKind.Run, [runId], null);
        var copy = JSInterop.Setup<bool>("medvis.copyText", _ => true);
        copy.SetResult(true);
        var cut = Render<SharePanel>(p => p.Add(c => c.RunIds, [runId]));

        var button = cut.Find($"[data-testid=copy-share-url-{link.Id}]");
        Assert.Contains("Copy", button.TextContent);
        button.Click();
        var copied = Assert.Single(copy.Invocations);
        Assert.Contains("/share/", (string)copied.Arguments[0]!);
        cut.WaitForAssertion(() => Assert.Contains("Copied", cut.Find($"[data-testid=copy-share-url-{link.Id}]").TextContent));
    }
}
