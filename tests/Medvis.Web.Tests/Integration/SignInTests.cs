using System.Net;
using System.Text.RegularExpressions;
using Medvis.Core.Data;
using Medvis.Core.Storage;
using Medvis.Web.Auth;
using Medvis.Web.Datasets;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Integration;

/// <summary>The real cookie sign-in: set-up link, invitations, passwords, the rate limit; and no stack traces in Production.</summary>
public sealed partial class SignInTests : IDisposable
{
    private readonly TempFolder _dir = new();

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private static async Task<string> FormTokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        return AntiforgeryField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException($"no antiforgery field on {page}");
    }

    private static Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, string token, params (string Key, string Value)[] fields) =>
        client.PostAsync(url, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Key, f.Value))
            .Append(KeyValuePair.Create("__RequestVerificationToken", token))));

    [Fact]
    public async Task TheSetUpLinkSignsInTheAdminOnceAndAnInvitedMemberSetsAPasswordAndSignsIn()
    {
        await using var app = new MedvisAppFactory(_dir.File("medvis.db"));
        using var admin = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var setup = app.Services.GetRequiredService<AdminSetup>();
        var token = setup.Token;
        Assert.NotNull(token);

        Assert.Equal("/account/login?error=setup", (await admin.GetAsync("/account/setup?token=wrong")).Headers.Location!.OriginalString);
        var signedIn = await admin.GetAsync($"/account/setup?token={token}");
        Assert.Equal("/", signedIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/users")).StatusCode);
        using var late = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal("/account/login?error=setup", (await late.GetAsync($"/account/setup?token={token}")).Headers.Location!.OriginalString);

        var adminCaller = app.Services.GetRequiredService<CallerResolver>().Resolve(MedvisClaims.ForUser(
            app.Services.GetRequiredService<IMedvisStore>().Users.FindByName(AdminSetup.DefaultAdminName)!, "x"));
        var (member, invitation) = app.Services.GetRequiredService<AccountService>().Invite(adminCaller, "mia", UserRole.Member);
        using var mia = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var setPage = $"/account/set-password?token={Uri.EscapeDataString(invitation)}";
        var form = await FormTokenAsync(mia, setPage);
        var set = await PostFormAsync(mia, "/account/set-password", form, ("token", invitation), ("password", "correct horse"), ("confirmation", "correct horse"));
        Assert.Equal("/", set.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await mia.GetAsync("/runs/new")).StatusCode);
        using var again = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        // The invitation works once.
        Assert.Contains("not valid any more", await again.GetStringAsync(setPage));

        var loginForm = await FormTokenAsync(again, "/account/login");
        var wrong = await PostFormAsync(again, "/account/login", loginForm, ("name", "mia"), ("password", "wrong password"), ("returnUrl", "/runs"));
        Assert.StartsWith("/account/login?error=1", wrong.Headers.Location!.OriginalString);
        var right = await PostFormAsync(again, "/account/login", loginForm, ("name", "MIA"), ("password", "correct horse"), ("returnUrl", "/runs"));
        Assert.Equal("/runs", right.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/runs")).StatusCode);
        // A form token belongs to who fetched it: signed in now, mia needs a fresh one.
        var offsite = await PostFormAsync(again, "/account/login", await FormTokenAsync(again, "/account/login"), ("name", "mia"), ("password", "correct horse"), ("returnUrl", "//evil.example/"));
        Assert.Equal("/", offsite.Headers.Location!.OriginalString);
        Assert.Equal(UserRole.Member, app.Services.GetRequiredService<IMedvisStore>().Users.Get(member.Id)!.Role);
        // Every password change is in the audit log, by whom and how, never the password itself.
        var audit = app.Services.GetRequiredService<IMedvisStore>().Audit.Latest(50);
        Assert.Contains(audit, a => a.UserName == "mia" && a.Action == "set password with a one-time link");
        Assert.DoesNotContain(audit, a => $"{a.Action} {a.Subject}".Contains("correct horse", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASetUpInterruptedBeforeAPasswordWasSetGetsAFreshLinkFromTheSignInPageWithoutARestart()
    {
        await using var app = new MedvisAppFactory(_dir.File("medvis.db"));
        using var first = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var setup = app.Services.GetRequiredService<AdminSetup>();
        var token = setup.Token!;
        Assert.Equal(HttpStatusCode.Redirect, (await first.GetAsync($"/account/setup?token={token}")).StatusCode);
        Assert.Null(setup.Token); // used up, and the browser closed before a password was set

        using var later = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var page = await later.GetStringAsync("/account/login?error=setup");
        Assert.Contains("A fresh one-time link is in the server", page);
        var fresh = setup.Token;
        Assert.NotNull(fresh);
        Assert.NotEqual(token, fresh);
        // A second visit does not make another: the fresh one is still unused.
        await later.GetStringAsync("/account/login");
        Assert.Equal(fresh, setup.Token);
        var signedIn = await later.GetAsync($"/account/setup?token={fresh}");
        Assert.Equal("/", signedIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignInAttemptsBeyondTheLimitGet429()
    {
        await using var app = new MedvisAppFactory(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:SignInAttemptsPerMinute"] = "3" });
        using var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var form = await FormTokenAsync(client, "/account/login");
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var response = await PostFormAsync(client, "/account/login", form, ("name", "admin"), ("password", $"guess {attempt}"));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PostFormAsync(client, "/account/login", form, ("name", "admin"), ("password", "guess 4"))).StatusCode);
    }

    [Fact]
    public async Task InProductionAnExceptionReachesTheClientWithoutItsDetails()
    {
        const string secret = "internal-detail-7f3a";
        await using var app = new MedvisAppFactory(_dir.File("medvis.db"), environment: "Production",
            services: s => s.AddSingleton<IDatasetOpener>(new ThrowingOpener(secret)));
        var dataset = app.Services.GetRequiredService<IMedvisStore>().Datasets.Add(new DatasetRecord { Name = "x", Spec = "/nowhere.npz" });
        using var client = app.CreateClientAs(UserRole.Admin);
        var response = await client.GetAsync($"/api/datasets/{dataset.Id}/images/0.png");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain(secret, body);
        Assert.DoesNotContain("ThrowingOpener", body);
        Assert.DoesNotContain(" at Medvis", body);
    }

    private sealed class ThrowingOpener(string message) : IDatasetOpener
    {
        public IDatasetSource Open(string spec, int imageSize) => throw new NullReferenceException(message);
    }

    public void Dispose() => _dir.Dispose();
}
