using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Medvis.Core.Storage;
using Medvis.Web.Auth;
using Medvis.Web.Datasets;
using Medvis.Web.Training;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Medvis.Web.Tests.Integration;

/// <summary>
/// The token rows of the access matrix: personal API tokens through the real app, valid, revoked, expired, of a
/// lower role, of a demoted or disabled owner, unknown, on a page, the hub or the older routes, and from a foreign
/// host. The training worker is left out: queued runs stay queued.
/// </summary>
public sealed class ApiTokenTests : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private MedvisAppFactory _app = default!;
    private int _dataset;

    public Task InitializeAsync()
    {
        _app = new MedvisAppFactory(_dir.File("medvis.db"), services: s =>
            s.Remove(s.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(TrainingWorker))));
        _dataset = _app.Services.GetRequiredService<DatasetService>().Register(Caller.System, "demo").Dataset!.Id;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _dir.Dispose();
    }

    private ApiTokens Tokens => _app.Services.GetRequiredService<ApiTokens>();
    private IMedvisStore Store => _app.Services.GetRequiredService<IMedvisStore>();

    private string SecretFor(UserRole owner, UserRole role, string? userName = null) =>
        Tokens.Create(_app.CallerOf(owner, userName), "script", role, null).Secret!;

    private HttpClient ClientWith(string secret)
    {
        var client = _app.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    private object SmallRun => new { datasetId = _dataset, backbone = "tiny", batchSize = 32, epochsPerStage = new[] { 1, 1, 1 }, maxImages = 64 };

    [Fact]
    public async Task AValidTokenReadsAndQueuesAsItsUserAndItsUseIsRecorded()
    {
        var created = Tokens.Create(_app.CallerOf(UserRole.Member), "notebook", UserRole.Member, DateTime.UtcNow.AddDays(30));
        Assert.Null(created.Error);
        Assert.Matches("^mvs_[A-Za-z0-9_-]{43}$", created.Secret);
        using var client = ClientWith(created.Secret!);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/datasets")).StatusCode);
        var queued = await client.PostAsJsonAsync("/api/v1/runs", SmallRun);
        Assert.Equal(HttpStatusCode.Created, queued.StatusCode);
        var run = JsonDocument.Parse(await queued.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("test-member", run.GetProperty("ownerName").GetString());
        Assert.Equal("queued", run.GetProperty("status").GetString());

        var stored = Store.ApiTokens.Get(created.Token!.Id)!;
        Assert.NotNull(stored.LastUsedAtUtc);
        // Only the hash is kept.
        Assert.Equal(ApiTokens.HashOf(created.Secret!), stored.SecretHash);
        Assert.DoesNotContain(created.Secret!, JsonSerializer.Serialize(stored));
        var audit = Store.Audit.Latest(5);
        Assert.Contains(audit, a => a.Action == "created API token" && a.UserName == "test-member" && a.Subject.Contains("\"notebook\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARevokedTokenStopsAtOnceWithABearerChallengeAndTheRevocationIsAudited()
    {
        var member = _app.CallerOf(UserRole.Member);
        var created = Tokens.Create(member, "ci", UserRole.Member, null);
        using var client = ClientWith(created.Secret!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/runs")).StatusCode);

        Assert.True(Tokens.Revoke(member, created.Token!.Id));
        Assert.False(Tokens.Revoke(member, created.Token.Id));

        var refused = await client.GetAsync("/api/v1/runs");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(401, JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
        Assert.Contains(Store.Audit.Latest(5), a => a.Action == "revoked API token" && a.Subject.Contains($"token {created.Token.Id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnExpiredTokenIsRefused()
    {
        var owner = _app.UserOf(UserRole.Member);
        var past = DateTime.UtcNow.AddDays(-2);
        var expired = "mvs_" + new string('x', 43);
        var unexpired = "mvs_" + new string('y', 43);
        Store.ApiTokens.Add(ApiTokenRecord.Create(owner.Id, "old", UserRole.Member, ApiTokens.HashOf(expired), past, past.AddDays(1)));
        Store.ApiTokens.Add(ApiTokenRecord.Create(owner.Id, "old, no expiry", UserRole.Member, ApiTokens.HashOf(unexpired), past, null));

        using var refused = ClientWith(expired);
        Assert.Equal(HttpStatusCode.Unauthorized, (await refused.GetAsync("/api/v1/datasets")).StatusCode);
        // The same owner and age without the expiry works: the expiry is what refused it.
        using var accepted = ClientWith(unexpired);
        Assert.Equal(HttpStatusCode.OK, (await accepted.GetAsync("/api/v1/datasets")).StatusCode);
    }

    [Fact]
    public async Task ATokenOfALowerRoleActsWithThatRole()
    {
        using var client = ClientWith(SecretFor(UserRole.Admin, UserRole.Viewer));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/runs")).StatusCode);
        var refused = await client.PostAsJsonAsync("/api/v1/runs", SmallRun);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Your role (Viewer) may not queue runs", await refused.Content.ReadAsStringAsync());
        Assert.Empty(Store.Runs.All());
    }

    [Fact]
    public async Task ATokenNeverActsAboveItsOwnersCurrentRole()
    {
        var owner = _app.UserOf(UserRole.Member, "demoted");
        using var client = ClientWith(SecretFor(UserRole.Member, UserRole.Member, "demoted"));
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/runs", SmallRun)).StatusCode);

        Store.Users.Update(owner.Id, u => u.Role = UserRole.Viewer);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/runs", SmallRun)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/runs")).StatusCode);
    }

    [Fact]
    public void NobodyMakesATokenAboveTheirRoleOrAlreadyExpired()
    {
        var member = _app.CallerOf(UserRole.Member);
        Assert.Throws<AccessDeniedException>(() => Tokens.Create(member, "up", UserRole.Admin, null));
        Assert.Throws<AccessDeniedException>(() => Tokens.Create(Caller.Anonymous, "anon", UserRole.Viewer, null));
        Assert.Equal("The expiry must lie in the future.", Tokens.Create(member, "late", UserRole.Member, DateTime.UtcNow.AddMinutes(-1)).Error);
        Assert.Contains("1 to 64 characters", Tokens.Create(member, "  ", UserRole.Member, null).Error);
        Assert.Throws<AccessDeniedException>(() => Tokens.Revoke(_app.CallerOf(UserRole.Member, "someone-else"),
            Tokens.Create(member, "mine", UserRole.Viewer, null).Token!.Id));
        Assert.Empty(Tokens.OwnedBy(_app.CallerOf(UserRole.Member, "someone-else")));
        Assert.Equal(["mine"], Tokens.OwnedBy(member).Select(t => t.Name));
    }

    [Fact]
    public async Task ADisabledUsersTokensStopWorking()
    {
        var secret = SecretFor(UserRole.Member, UserRole.Member, "leaving");
        using var client = ClientWith(secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/datasets")).StatusCode);

        await _app.Services.GetRequiredService<AccountService>().SetDisabledAsync(_app.CallerOf(UserRole.Admin), _app.UserOf(UserRole.Member, "leaving").Id, true);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/datasets")).StatusCode);
    }

    [Theory]
    [InlineData("mvs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("mvs_short")]
    [InlineData("not-a-token")]
    public async Task AnUnknownTokenIsRefused(string secret)
    {
        using var client = ClientWith(secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/datasets")).StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/runs")]
    [InlineData("/account")]
    public async Task ATokenDoesNotOpenAPage(string page)
    {
        using var client = ClientWith(SecretFor(UserRole.Admin, UserRole.Admin));
        var response = await client.GetAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task ATokenDoesNotOpenTheHubTheCircuitTheOlderRoutesOrTheApiReference()
    {
        using var client = ClientWith(SecretFor(UserRole.Admin, UserRole.Admin));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/hubs/training/negotiate?negotiateVersion=1", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/datasets/{_dataset}/images/0.png")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task ATokenFromAForeignHostIsRefused()
    {
        using var client = ClientWith(SecretFor(UserRole.Member, UserRole.Member));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/datasets");
        request.Headers.Host = "evil.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/datasets")).StatusCode);
    }
}
