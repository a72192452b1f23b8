using System.Net;
using System.Text.RegularExpressions;
using Medvis.Core.Data;
using Medvis.Core.Storage;
using Medvis.Core.Training;
using Medvis.Web.Auth;
using Medvis.Web.Datasets;
using Medvis.Web.Hubs;
using Medvis.Web.Results;
using Medvis.Web.Training;
using Medvis.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Medvis.Web.Tests.Integration;

/// <summary>
/// Who may do what, through the real app: every API endpoint and hub method for each role, anonymous clients and
/// share-link visitors; every page action through the services the pages call; foreign hosts and origins.
/// The training worker is left out: queued runs stay queued.
/// </summary>
public sealed class AccessTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private MedvisAppFactory _app = default!;
    private int _doneRun;
    private int _otherRun;
    private int _dataset;

    public Task InitializeAsync()
    {
        _app = new MedvisAppFactory(_dir.File("medvis.db"), services: WithoutWorker);
        var database = _app.Services.GetRequiredService<IMedvisStore>();
        _dataset = _app.Services.GetRequiredService<DatasetService>().Register(Caller.System, "demo").Dataset!.Id;
        _doneRun = StoreFinishedRun(database, "first");
        _otherRun = StoreFinishedRun(database, "second");
        return Task.CompletedTask;
    }

    private static void WithoutWorker(IServiceCollection services) =>
        services.Remove(services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(TrainingWorker)));

    /// <summary>A done run of 3 demo points with a stored map, metrics-free.</summary>
    private int StoreFinishedRun(IMedvisStore database, string name)
    {
        var run = database.Runs.Add(new RunRecord { Name = name, DatasetId = _dataset, DatasetSpec = "demo", DatasetName = "demo", Status = RunStatus.Done });
        database.Artifacts.SaveResult(new RunResult(run.Id, [0, 1, 2], [0, 1, 2], [0, 1, 0], [0, 1, 2], ["a", "b"]));
        return run.Id;
    }

    private static readonly string[] EndpointTemplates =
    [
        "/api/datasets/{dataset}/images/0.png",
        "/api/runs/{run}/images/0.png",
        "/api/runs/{run}/coordinates.csv",
        "/api/runs/{run}/tags.csv",
        "/api/runs/{run}/run.json",
    ];

    public static TheoryData<string> Endpoints => new(EndpointTemplates);

    private string Url(string template, int? run = null) =>
        template.Replace("{dataset}", _dataset.ToString()).Replace("{run}", (run ?? _doneRun).ToString());

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task AnonymousClientsGet401FromEveryEndpoint(string endpoint)
    {
        using var client = _app.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Url(endpoint))).StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/runs")]
    [InlineData("/datasets")]
    [InlineData("/runs/new")]
    [InlineData("/compare")]
    [InlineData("/admin/users")]
    public async Task AnonymousPageRequestsAreSentToSignIn(string page)
    {
        using var client = _app.CreateClient(new() { AllowAutoRedirect = false });
        var response = await client.GetAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData(UserRole.Viewer)]
    [InlineData(UserRole.Member)]
    [InlineData(UserRole.Admin)]
    public async Task EveryRoleReadsEveryEndpoint(UserRole role)
    {
        using var client = _app.CreateClientAs(role);
        foreach (var endpoint in EndpointTemplates)
        {
            var response = await client.GetAsync(Url(endpoint));
            // run.json is 404: the stored run has no card; everything else is there.
            var expected = endpoint.EndsWith("run.json", StringComparison.Ordinal) ? HttpStatusCode.NotFound : HttpStatusCode.OK;
            Assert.True(expected == response.StatusCode, $"{role} {endpoint}: {response.StatusCode}");
        }
    }

    [Theory]
    [InlineData("/admin/users", UserRole.Viewer, false)]
    [InlineData("/admin/users", UserRole.Member, false)]
    [InlineData("/admin/users", UserRole.Admin, true)]
    [InlineData("/admin/audit", UserRole.Member, false)]
    [InlineData("/admin/audit", UserRole.Admin, true)]
    [InlineData("/admin/storage", UserRole.Viewer, false)]
    [InlineData("/admin/storage", UserRole.Member, false)]
    [InlineData("/admin/storage", UserRole.Admin, true)]
    [InlineData("/runs/new", UserRole.Viewer, false)]
    [InlineData("/runs/new", UserRole.Member, true)]
    [InlineData("/datasets", UserRole.Viewer, true)]
    [InlineData("/runs", UserRole.Viewer, true)]
    public async Task PagesOpenOnlyForTheirRoles(string page, UserRole role, bool allowed)
    {
        using var client = _app.CreateClientAs(role);
        var response = await client.GetAsync(page);
        if (allowed) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        else Assert.StartsWith("/account/denied", response.Headers.Location?.PathAndQuery ?? $"status {response.StatusCode}");
    }

    /// <summary>Each page action, called as the pages call it: (action, role, allowed).</summary>
    public static TheoryData<string, UserRole, bool> Actions()
    {
        var data = new TheoryData<string, UserRole, bool>();
        var allowedFrom = new Dictionary<string, UserRole>
        {
            ["register dataset"] = UserRole.Admin, ["queue run"] = UserRole.Member, ["queue comparison"] = UserRole.Member,
            ["cancel own run"] = UserRole.Member, ["delete own run"] = UserRole.Member,
            ["cancel another's run"] = UserRole.Admin, ["delete another's run"] = UserRole.Admin,
            ["tag"] = UserRole.Member, ["place images"] = UserRole.Member, ["share"] = UserRole.Member, ["invite user"] = UserRole.Admin,
            ["compact database"] = UserRole.Admin, ["upload dataset"] = UserRole.Member,
            ["queue objective comparison"] = UserRole.Member, ["crop positions"] = UserRole.Viewer,
        };
        foreach (var (action, minimum) in allowedFrom)
        foreach (var role in Enum.GetValues<UserRole>())
            data.Add(action, role, role >= minimum);
        return data;
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public void EveryPageActionChecksTheRole(string action, UserRole role, bool allowed)
    {
        var caller = _app.CallerOf(role);
        var services = _app.Services;
        var planner = services.GetRequiredService<RunPlanner>();
        var database = services.GetRequiredService<IMedvisStore>();
        var someoneElse = _app.CallerOf(UserRole.Member, "someone-else");
        var request = new RunRequest(_dataset, DatasetSplit.Train, new TrainingOptions { EpochsPerStage = [1, 1, 1], BatchSize = 32 }, MaxImages: 64);
        int QueuedBy(Caller owner) => planner.Queue(owner.Role >= UserRole.Member ? owner : Caller.System, request).Runs[0].Id;
        int EndedRunOf(Caller owner)
        {
            var id = QueuedBy(owner);
            planner.Cancel(Caller.System, id);
            database.Runs.Update(id, r => { r.OwnerId = owner.UserId; r.OwnerName = owner.Name; });
            return id;
        }
        void Owned(Caller owner, Action<int> act)
        {
            var id = QueuedBy(owner);
            database.Runs.Update(id, r => { r.OwnerId = owner.UserId; r.OwnerName = owner.Name; });
            act(id);
        }

        Action act = action switch
        {
            "register dataset" => () => services.GetRequiredService<DatasetService>().Register(caller, "demo:32"),
            "queue run" => () => planner.Queue(caller, request),
            "queue comparison" => () => planner.QueueAugmentationComparison(caller, request),
            "queue objective comparison" => () => planner.QueueObjectiveComparison(caller, request),
            "crop positions" => () => services.GetRequiredService<RunCropPositions>().ViewAsync(caller, _doneRun).GetAwaiter().GetResult(),
            "cancel own run" => () => Owned(caller, id => Assert.True(planner.Cancel(caller, id))),
            "delete own run" => () => { var id = EndedRunOf(caller); Assert.Null(planner.Delete(caller, id)); },
            "cancel another's run" => () => Owned(someoneElse, id => Assert.True(planner.Cancel(caller, id))),
            "delete another's run" => () => { var id = EndedRunOf(someoneElse); Assert.Null(planner.Delete(caller, id)); },
            "tag" => () => services.GetRequiredService<RunResults>().Tag(caller, _doneRun, "odd", [0, 1]),
            "place images" => () => services.GetRequiredService<OutOfSampleService>().Place(caller, _doneRun, [new UploadedFile("x.png", [1])]),
            "share" => () => services.GetRequiredService<ShareLinks>().Create(caller, ShareKind.Run, [_doneRun], null),
            "invite user" => () => services.GetRequiredService<AccountService>().Invite(caller, $"new-{role}", UserRole.Viewer),
            "upload dataset" => () => services.GetRequiredService<DatasetUploads>().UploadAsync(caller, "x.npz", new MemoryStream([1])).GetAwaiter().GetResult(),
            "compact database" => () => services.GetRequiredService<DatabaseMaintenance>().Compact(caller),
            _ => throw new ArgumentException(action),
        };

        var thrown = Record.Exception(act);
        if (allowed)
            // Placing images on (or cropping for) a run without a model, or compacting while runs are queued, fails for its own reason:
            // what matters is that the role passed.
            Assert.True(thrown is null or InvalidOperationException, $"{role} may {action}, but: {thrown}");
        else
            Assert.IsType<AccessDeniedException>(thrown);
    }

    [Fact]
    public async Task TheAuditLogRecordsWhoQueuedCancelledAndDeletedWhat()
    {
        var member = _app.CallerOf(UserRole.Member);
        var planner = _app.Services.GetRequiredService<RunPlanner>();
        var request = new RunRequest(_dataset, DatasetSplit.Train, new TrainingOptions { EpochsPerStage = [1, 1, 1], BatchSize = 32 }, MaxImages: 64);
        var run = planner.Queue(member, request).Runs[0];
        Assert.Equal(member.UserId, run.OwnerId);
        planner.Cancel(member, run.Id);
        Assert.Null(planner.Delete(member, run.Id));
        var entries = _app.Services.GetRequiredService<IMedvisStore>().Audit.Latest(10);
        Assert.Equal(["deleted run", "cancelled run", "queued run"], entries.Take(3).Select(e => e.Action));
        Assert.All(entries.Take(3), e => Assert.Equal(member.Name, e.UserName));
        Assert.All(entries.Take(3), e => Assert.Contains($"run {run.Id}", e.Subject));
        Assert.Contains(entries, e => e.Action == "registered dataset" && e.UserName == "system");
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData(UserRole.Viewer)]
    [InlineData(UserRole.Member)]
    [InlineData(UserRole.Admin)]
    public async Task EveryRoleMayUseEveryHubMethod(UserRole role)
    {
        await using var hub = await _app.ConnectHubAsync(role);
        var history = await hub.InvokeAsync<RunHistory?>(nameof(TrainingHub.JoinRun), _doneRun);
        Assert.Equal(RunStatus.Done, history!.Status);
        await hub.InvokeAsync(nameof(TrainingHub.LeaveRun), _doneRun);
        await hub.InvokeAsync(nameof(TrainingHub.WatchAllRuns));
    }

    [Fact]
    public async Task AnonymousHubConnectionsAreRefused()
    {
        var refused = await Assert.ThrowsAnyAsync<HttpRequestException>(() => _app.ConnectHubAsync(role: null));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task CrossOriginHubNegotiationIsRefusedAndSameOriginIsNot()
    {
        using var client = _app.CreateClientAs(UserRole.Admin);
        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/hubs/training/negotiate?negotiateVersion=1");
        foreign.Headers.Add("Origin", "http://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(foreign)).StatusCode);
        using var blazor = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        blazor.Headers.Add("Origin", "http://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(blazor)).StatusCode);
        using var same = new HttpRequestMessage(HttpMethod.Post, "/hubs/training/negotiate?negotiateVersion=1");
        same.Headers.Add("Origin", "http://localhost");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(same)).StatusCode);
    }

    [Fact]
    public async Task AForeignHostHeaderIsRefused()
    {
        using var client = _app.CreateClientAs(UserRole.Admin);
        using var request = new HttpRequestMessage(HttpMethod.Get, Url("/api/runs/{run}/coordinates.csv"));
        request.Headers.Host = "evil.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Url("/api/runs/{run}/coordinates.csv"))).StatusCode);
    }

    [Fact]
    public async Task AShareLinkShowsItsRunAndNothingElseUntilRevoked()
    {
        var shares = _app.Services.GetRequiredService<ShareLinks>();
        var member = _app.CallerOf(UserRole.Member);
        var (link, token) = shares.Create(member, ShareKind.Run, [_doneRun], TimeSpan.FromDays(1));
        using var visitor = _app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });

        var opened = await visitor.GetAsync($"/share/{token}");
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal($"/runs/{_doneRun}", opened.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/runs/{_doneRun}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync(Url("/api/runs/{run}/coordinates.csv"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync(Url("/api/runs/{run}/images/0.png"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await visitor.GetAsync(Url("/api/runs/{run}/coordinates.csv", _otherRun))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await visitor.GetAsync(Url("/api/datasets/{dataset}/images/0.png"))).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await visitor.GetAsync("/runs")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await visitor.GetAsync("/datasets")).StatusCode);

        var forged = await visitor.GetAsync($"/share/{token[..^4]}AAAA");
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);

        shares.Revoke(member, link.Id);
        Assert.Equal(HttpStatusCode.Unauthorized, (await visitor.GetAsync(Url("/api/runs/{run}/coordinates.csv"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/share/{token}")).StatusCode);
    }

    [Fact]
    public async Task ShareLinkVisitorsJoinOnlyTheirRunsOnTheHub()
    {
        var (_, token) = _app.Services.GetRequiredService<ShareLinks>().Create(_app.CallerOf(UserRole.Member), ShareKind.Run, [_doneRun], null);
        using var visitor = _app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var opened = await visitor.GetAsync($"/share/{token}");
        var cookie = opened.Headers.GetValues("Set-Cookie").First().Split(';')[0];
        await using var hub = await _app.ConnectHubAsync(null, o => o.Headers["Cookie"] = cookie);
        Assert.NotNull(await hub.InvokeAsync<RunHistory?>(nameof(TrainingHub.JoinRun), _doneRun));
        await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<RunHistory?>(nameof(TrainingHub.JoinRun), _otherRun));
        await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync(nameof(TrainingHub.WatchAllRuns)));
    }

    [Fact]
    public async Task DisabledUsersAndChangedRolesCountAtTheNextRequest()
    {
        var accounts = _app.Services.GetRequiredService<AccountService>();
        var admin = _app.CallerOf(UserRole.Admin);
        var member = _app.UserOf(UserRole.Member, "soon-viewer");
        accounts.ChangeRole(admin, member.Id, UserRole.Viewer);
        Assert.Throws<AccessDeniedException>(() => _app.Services.GetRequiredService<RunPlanner>()
            .Queue(_app.Services.GetRequiredService<CallerResolver>().Resolve(Auth.MedvisClaims.ForUser(member, "x")), new RunRequest(_dataset, DatasetSplit.Train, new TrainingOptions())));
        accounts.SetDisabled(admin, member.Id, true);
        Assert.Equal(Caller.Anonymous, _app.Services.GetRequiredService<CallerResolver>().Resolve(Auth.MedvisClaims.ForUser(member, "x")));
        await Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _dir.Dispose();
    }
}
