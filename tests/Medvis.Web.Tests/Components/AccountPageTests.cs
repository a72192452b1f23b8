using Bunit;
using Medvis.Core.Storage;
using Medvis.Web.Auth;
using Medvis.Web.Components.Pages.Account;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Components;

/// <summary>The account page's API tokens: a new token's secret is shown once with a copy button, and a token can be revoked.</summary>
public sealed class AccountPageTests : DatabasePageTestContext
{
    public AccountPageTests() => Services.AddSingleton<ApiTokens>();

    [Fact]
    public void ANewTokensSecretIsShownOnceWithACopyButtonAndOnlyItsHashIsStored()
    {
        SignInAs(UserRole.Member);
        var copy = JSInterop.Setup<bool>("medvis.copyText", _ => true);
        copy.SetResult(true);
        var cut = Render<MyAccount>();

        cut.Find("input[data-testid=token-name]").Change("notebook");
        cut.Find("[data-testid=create-token]").Click();

        var secret = cut.Find("input[data-testid=token-secret]").GetAttribute("value")!;
        Assert.Matches("^mvs_[A-Za-z0-9_-]{43}$", secret);
        var stored = Assert.Single(Database.ApiTokens.ForUser(User.Id));
        Assert.Equal(("notebook", UserRole.Member, ApiTokens.HashOf(secret)), (stored.Name, stored.Role, stored.SecretHash));
        cut.Find("[data-testid=copy-token-secret]").Click();
        Assert.Equal(secret, Assert.Single(copy.Invocations).Arguments[0]);

        var later = Render<MyAccount>();
        Assert.Empty(later.FindAll("input[data-testid=token-secret]"));
        Assert.DoesNotContain(secret, later.Markup);
        Assert.Equal("active", later.Find($"[data-testid=token-state-{stored.Id}]").TextContent);
    }

    [Fact]
    public void RevokingATokenMarksItRevokedAndAudits()
    {
        SignInAs(UserRole.Viewer);
        var token = Services.GetRequiredService<ApiTokens>().Create(Caller, "ci", UserRole.Viewer, DateTime.UtcNow.AddDays(1)).Token!;
        var cut = Render<MyAccount>();

        cut.Find($"[data-testid=revoke-token-{token.Id}]").Click();

        Assert.Equal("revoked", cut.Find($"[data-testid=token-state-{token.Id}]").TextContent);
        Assert.Empty(cut.FindAll($"[data-testid=revoke-token-{token.Id}]"));
        Assert.NotNull(Database.ApiTokens.Get(token.Id)!.RevokedAtUtc);
        Assert.Equal("revoked API token", Database.Audit.Latest(1)[0].Action);
    }

    [Fact]
    public void AnEmptyNameIsRefusedWithOneLine()
    {
        var cut = Render<MyAccount>();

        cut.Find("[data-testid=create-token]").Click();

        Assert.Contains("1 to 64 characters", cut.Find("[data-testid=token-error]").TextContent);
        Assert.Empty(Database.ApiTokens.ForUser(User.Id));
    }
}
