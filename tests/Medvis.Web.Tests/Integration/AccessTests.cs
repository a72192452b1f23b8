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
    private readonly TempFolder _dir = new();
    private MedvisAppFactory _app = default!;
    private int _doneRun;
    private int _otherRun;
    private int _dataset;

    public Task InitializeAsync()
    {
        _app = new MedvisAppFactory(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:LiveSessionRecheckSeconds"] = "1" }, WithoutWorker);
        var database = _app.Services.GetRequiredService<IMedvisStore>();
        _dataset = _app.Services.GetRequiredService<DatasetService>().Register(Caller.System, "demo").Dataset!.Id;
        _doneRun = StoreFinishedRun(database, "first");
        _otherRun = StoreFinishedRun(database, "second");
        var metadata = Core.Data.Metadata.MetadataCsv.Parse("image_index,age\n0,40\n"u8.ToArray(), "m.csv", new(database.Datasets.Get(_dataset)!.CountOf(DatasetSplit.Train)));
        metadata.DatasetId = _dataset;
        database.Metadata.Save(metadata);
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
        "/api/runs/{run}/points.bin",
        "/api/compare/points.bin?runs={run},{other}&map=1",
        "/api/runs/{run}/neighbours/0.json",
        "/api/datasets/{dataset}/metadata.json",
    ];

    public static TheoryData<string> Endpoints => new(EndpointTemplates);

    private string Url(string template, int? run = null) =>
        template.Replace("{dataset}", _dataset.ToString()).Replace("{run}", (run ?? _doneRun).ToString()).Replace("{other}", _otherRun.ToString());

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
    [InlineData("/runs/1/present")]
    [InlineData("/account")]
    [InlineData("/scalar/v1")]
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
    [InlineData("/runs/1/present", UserRole.Viewer, true)]
    [InlineData("/account", UserRole.Viewer, true)]
    [InlineData("/scalar/v1", UserRole.Viewer, true)]
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
            ["compact database"] = UserRole.Admin, ["upload dataset"] = UserRole.Member, ["import map"] = UserRole.Member,
            ["attach metadata"] = UserRole.Member, ["remove metadata"] = UserRole.Member,
            ["resume own run"] = UserRole.Member, ["resume another's run"] = UserRole.Admin,
            ["rename dataset"] = UserRole.Admin, ["delete dataset"] = UserRole.Admin,
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
            "place images" => () => services.GetRequiredService<OutOfSampleService>().PlaceAsync(caller, _doneRun, [new UploadedFile("x.png", [1])]).GetAwaiter().GetResult(),
            "share" => () => services.GetRequiredService<ShareLinks>().Create(caller, ShareKind.Run, [_doneRun], null),
            "invite user" => () => services.GetRequiredService<AccountService>().Invite(caller, $"new-{role}", UserRole.Viewer),
            "upload dataset" => () => services.GetRequiredService<DatasetUploads>().UploadAsync(caller, "x.npz", new MemoryStream([1])).GetAwaiter().GetResult(),
            "compact database" => () => services.GetRequiredService<DatabaseMaintenance>().Compact(caller),
            "import map" => () => Assert.NotNull(services.GetRequiredService<MapImportService>()
                .ImportAsync(caller, new MemoryStream("0,1,2\n1,3,4\n"u8.ToArray()), "m.csv", null, null, DatasetSplit.Train).GetAwaiter().GetResult().Run),
            "attach metadata" => () => Assert.Null(services.GetRequiredService<DatasetMetadataService>().Attach(caller, _dataset, "m.csv", "image_index,age\n1,50\n"u8.ToArray()).Error),
            "remove metadata" => () => services.GetRequiredService<DatasetMetadataService>().Remove(caller, _dataset),
            "resume own run" => () => { var id = EndedRunOf(caller); Assert.Null(planner.Resume(caller, id)); },
            "resume another's run" => () => { var id = EndedRunOf(someoneElse); Assert.Null(planner.Resume(caller, id)); },
            "rename dataset" => () => Assert.Null(services.GetRequiredService<DatasetService>().Rename(caller, _dataset, $"demo by {role}")),
            "delete dataset" => () => Assert.Null(services.GetRequiredService<DatasetService>().Delete(caller,
                services.GetRequiredService<DatasetService>().Register(Caller.System, $"demo:{16 + (int)role}").Dataset!.Id)),
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

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(UserRole.Viewer, HttpStatusCode.Forbidden)]
    [InlineData(UserRole.Member, HttpStatusCode.OK)]
    [InlineData(UserRole.Admin, HttpStatusCode.OK)]
    public async Task OnlyMembersAndAdminsAttachOrRemoveMetadataOverHttp(UserRole? role, HttpStatusCode expected)
    {
        using var client = role is { } r ? _app.CreateClientAs(r) : _app.CreateClient(new() { AllowAutoRedirect = false });
        var posted = await client.PostAsync(Url("/api/datasets/{dataset}/metadata?name=ham.csv"), new StringContent("image_index,sex\n2,female\n5,male\n"));
        Assert.Equal(expected, posted.StatusCode);
        var removed = await client.DeleteAsync(Url("/api/datasets/{dataset}/metadata"));
        Assert.Equal(expected == HttpStatusCode.OK ? HttpStatusCode.NoContent : expected, removed.StatusCode);
        if (expected != HttpStatusCode.OK) return;
        var entries = _app.Services.GetRequiredService<IMedvisStore>().Audit.Latest(5);
        Assert.Contains(entries, e => e.Action == "attached metadata" && e.Subject.Contains("ham.csv", StringComparison.Ordinal) && e.Subject.Contains("sex", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Action == "removed metadata");
    }

    [Fact]
    public async Task ABadMetadataFileIsRefusedWithOneLineAndKeepsTheOldTable()
    {
        using var client = _app.CreateClientAs(UserRole.Member);
        var refused = await client.PostAsync(Url("/api/datasets/{dataset}/metadata?name=bad.csv"), new StringContent("image_index,age\n1,2\n1,3\n"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var message = await refused.Content.ReadAsStringAsync();
        Assert.Contains("bad.csv: line 3: duplicate key", message);
        Assert.DoesNotContain("\\n", message);
        var summary = await client.GetStringAsync(Url("/api/datasets/{dataset}/metadata.json"));
        Assert.Contains("\"fileName\":\"m.csv\"", summary);
        var missing = await client.PostAsync("/api/datasets/999/metadata", new StringContent("a,b\n0,1\n"));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("Dataset 999 does not exist", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ATableWithAnIdColumnOverTheCategoryLimitIsAttachedOverHttpWithTheIdKeptAsAnIdentifier()
    {
        using var client = _app.CreateClientAs(UserRole.Member);
        var csv = "image_index,lesion_id,sex\n" + string.Concat(Enumerable.Range(0, 300).Select(i => $"{i},HAM_{i:D7},{(i % 2 == 0 ? "male" : "female")}\n"));
        var posted = await client.PostAsync(Url("/api/datasets/{dataset}/metadata?name=HAM10000_metadata.csv"), new StringContent(csv));
        var body = await posted.Content.ReadAsStringAsync();
        Assert.True(posted.StatusCode == HttpStatusCode.OK, body);
        using var summary = System.Text.Json.JsonDocument.Parse(body);
        var kinds = summary.RootElement.GetProperty("columns").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("kind").GetString());
        Assert.Equal("identifier", kinds["lesion_id"]);
        Assert.Equal("categorical", kinds["sex"]);
        Assert.Equal(["lesion_id: 300 distinct values, kept as an identifier (shown on hover, not used for colouring)"],
            summary.RootElement.GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public async Task NeighboursOfAPointComeFromTheMapAndSayWhyFeaturesAreMissing()
    {
        using var client = _app.CreateClientAs(UserRole.Viewer);
        var json = await client.GetStringAsync(Url("/api/runs/{run}/neighbours/1.json"));
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var onMap = document.RootElement.GetProperty("onMap").EnumerateArray().Select(n => n.GetProperty("point").GetInt32()).ToArray();
        // Points 0, 1, 2 at (0,0), (1,1), (2,2): both others are at the same distance, the lower index first.
        Assert.Equal([0, 2], onMap);
        Assert.Contains("no saved model", document.RootElement.GetProperty("featureProblem").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Url("/api/runs/{run}/neighbours/7.json"))).StatusCode);
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
    public async Task ImportingAMapNeedsAMemberAndItsPointsArriveAsBinaryColumns()
    {
        using var anonymous = _app.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/maps/import", new StringContent("0,1,2\n"))).StatusCode);
        using var viewer = _app.CreateClientAs(UserRole.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/maps/import", new StringContent("0,1,2\n"))).StatusCode);

        using var member = _app.CreateClientAs(UserRole.Member);
        var refused = await member.PostAsync($"/api/maps/import?datasetId={_dataset}&fileName=bad.csv", new StringContent("index,x,y\n0,1,nan\n"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("bad.csv:2: 'nan' in column 'y' is not a finite number", await refused.Content.ReadAsStringAsync());

        var imported = await member.PostAsync($"/api/maps/import?datasetId={_dataset}&split=Train&name=tsimcne", new StringContent("index,x,y\n7,1.5,-2\n3,0.25,4\n"));
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var runId = System.Text.Json.JsonDocument.Parse(await imported.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();

        using var reader = _app.CreateClientAs(UserRole.Viewer);
        var bytes = await reader.GetByteArrayAsync($"/api/runs/{runId}/points.bin");
        Assert.Equal("MVP1", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(2, BitConverter.ToInt32(bytes, 4));
        Assert.Equal(1, BitConverter.ToInt32(bytes, 8));
        Assert.Equal([1.5f, 0.25f], new[] { BitConverter.ToSingle(bytes, 16), BitConverter.ToSingle(bytes, 20) });
        Assert.Equal([-2f, 4f], new[] { BitConverter.ToSingle(bytes, 24), BitConverter.ToSingle(bytes, 28) });
        // The demo's labels of images 7 and 3, as uint8.
        var demo = _app.Services.GetRequiredService<DatasetService>().Load(_app.Services.GetRequiredService<DatasetService>().Get(_dataset)!, DatasetSplit.Train);
        Assert.Equal([(byte)demo.Labels[7], (byte)demo.Labels[3]], bytes[32..34]);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/runs/{runId}/images/0.png")).StatusCode);
    }

    [Fact]
    public async Task ComparedColumnsNeedEveryRunAndTheKeptOverlayWaitsForTheNeighbourhoods()
    {
        using var viewer = _app.CreateClientAs(UserRole.Viewer);
        var points = await viewer.GetByteArrayAsync($"/api/compare/points.bin?runs={_doneRun},{_otherRun}&map=1");
        Assert.Equal("MVP1", System.Text.Encoding.ASCII.GetString(points, 0, 4));
        Assert.Equal(3, BitConverter.ToInt32(points, 4));
        var kept = $"/api/compare/kept.bin?runs={_doneRun},{_otherRun}&map=1";
        Assert.Equal(HttpStatusCode.Conflict, (await viewer.GetAsync(kept)).StatusCode);
        var (comparison, _) = await _app.Services.GetRequiredService<LargeComparisons>().OpenAsync(_app.CallerOf(UserRole.Viewer), [_doneRun, _otherRun]);
        await comparison!.Neighbourhoods;
        // The two stored maps are the same: every image keeps all its neighbours (255).
        Assert.Equal([255, 255, 255], await viewer.GetByteArrayAsync(kept));
        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.GetAsync($"/api/compare/points.bin?runs={_doneRun},{_otherRun}&map=2")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.GetAsync($"/api/compare/points.bin?runs={_doneRun}&map=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.GetAsync($"/api/compare/points.bin?runs=x,{_doneRun}&map=0")).StatusCode);

        // A share link of one run opens no comparison with another.
        var (_, token) = _app.Services.GetRequiredService<ShareLinks>().Create(_app.CallerOf(UserRole.Member), ShareKind.Run, [_doneRun], TimeSpan.FromDays(1));
        using var visitor = _app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await visitor.GetAsync($"/share/{token}");
        Assert.Equal(HttpStatusCode.Forbidden, (await visitor.GetAsync($"/api/compare/points.bin?runs={_doneRun},{_otherRun}&map=0")).StatusCode);
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
        Assert.Equal($"/runs/{_doneRun}/present", opened.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/runs/{_doneRun}/present")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/runs/{_doneRun}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync(Url("/api/runs/{run}/coordinates.csv"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync(Url("/api/runs/{run}/images/0.png"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await visitor.GetAsync(Url("/api/runs/{run}/coordinates.csv", _otherRun))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync(Url("/api/runs/{run}/points.bin"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await visitor.GetAsync(Url("/api/runs/{run}/points.bin", _otherRun))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await visitor.PostAsync("/api/maps/import", new StringContent("0,1,2\n"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await visitor.GetAsync(Url("/api/datasets/{dataset}/images/0.png"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync(Url("/api/runs/{run}/neighbours/0.json"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await visitor.GetAsync(Url("/api/runs/{run}/neighbours/0.json", _otherRun))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await visitor.GetAsync(Url("/api/datasets/{dataset}/metadata.json"))).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await visitor.PostAsync(Url("/api/datasets/{dataset}/metadata?name=m.csv"), new StringContent("image_index,age\n0,1\n"))).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await visitor.GetAsync("/runs")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await visitor.GetAsync("/datasets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync(Url("/api/runs/{run}/map.html"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await visitor.GetAsync(Url("/api/runs/{run}/map.html", _otherRun))).StatusCode);
        // Sent away from a page, the visitor reads what the link opens and a way back, never about roles.
        var denied = await visitor.GetStringAsync("/account/denied");
        Assert.Contains("opens only what it was shared for", denied);
        Assert.Contains($"runs/{_doneRun}/present", denied);
        Assert.DoesNotMatch("(?i)your role|roles? may", denied);

        var forged = await visitor.GetAsync($"/share/{token[..^4]}AAAA");
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);

        await shares.RevokeAsync(member, link.Id);
        Assert.Equal(HttpStatusCode.Unauthorized, (await visitor.GetAsync(Url("/api/runs/{run}/coordinates.csv"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/share/{token}")).StatusCode);
    }

    [Fact]
    public async Task MapStateInTheAddressIsOnlyViewStateHostileValuesStillShowThePageAndGrantNothing()
    {
        var (_, token) = _app.Services.GetRequiredService<ShareLinks>().Create(_app.CallerOf(UserRole.Member), ShareKind.Run, [_doneRun], TimeSpan.FromDays(1));
        using var visitor = _app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(HttpStatusCode.Redirect, (await visitor.GetAsync($"/share/{token}")).StatusCode);
        var farOut = string.Join('_', Enumerable.Repeat("1e12_-1e12_-1e12_1e12_3e11", 25).SelectMany(v => v.Split('_')).Take(128));
        string[] queries =
        [
            "zoom=0_2_0_2&lasso=-1_-1_3_-1_3_3_-1_3&point=1",
            "zoom=NaN_1_0_1&lasso=1e999_0_1&point=-5&lassoin=-1",
            "zoom=" + new string('9', 4000) + "&lasso=" + new string('_', 3000),
            "lasso=" + farOut + "&point=2147483647&lassoin=99",
            "zoom=%3Cscript%3Ealert(1)%3C%2Fscript%3E&lasso=0_0_0_0_0_0&point=%00&tab=%22%3E",
        ];
        foreach (var query in queries)
        {
            var page = await visitor.GetAsync($"/runs/{_doneRun}?{query}");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains($"id=\"run-map-{_doneRun}\"", html);
            Assert.DoesNotContain("<script>alert(1)", html);
        }
        // The state names images, never a run: another run stays closed to the link, whatever the address holds.
        var other = await visitor.GetAsync($"/runs/{_otherRun}?zoom=0_2_0_2&lasso=-1_-1_3_-1_3_3_-1_3&point=1");
        Assert.Contains("run-refused", await other.Content.ReadAsStringAsync());
        Assert.DoesNotContain($"run-map-{_otherRun}", await other.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/runs/{_doneRun}/present?zoom=0_2_0_2&lasso=-1_-1_3_-1_3_3_-1_3")).StatusCode);
    }

    [Fact]
    public async Task ShareLinkVisitorsJoinOnlyTheirRunsOnTheHub()
    {
        var (_, token) = _app.Services.GetRequiredService<ShareLinks>().Create(_app.CallerOf(UserRole.Member), ShareKind.Run, [_doneRun], null);
        await using var visitor = await ConnectShareVisitorAsync(token);
        var hub = visitor.Connection;
        Assert.NotNull(await hub.InvokeAsync<RunHistory?>(nameof(TrainingHub.JoinRun), _doneRun));
        await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<RunHistory?>(nameof(TrainingHub.JoinRun), _otherRun));
        await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync(nameof(TrainingHub.WatchAllRuns)));
    }

    [Fact]
    public async Task RevokingAShareLinkClosesItsOpenHubConnectionsAndNoOtherOnes()
    {
        var shares = _app.Services.GetRequiredService<ShareLinks>();
        var member = _app.CallerOf(UserRole.Member);
        var (link, token) = shares.Create(member, ShareKind.Run, [_doneRun], null);
        await using var visitor = await ConnectShareVisitorAsync(token);
        await using var user = await _app.ConnectHubAsync(UserRole.Viewer);
        Assert.NotNull(await visitor.Connection.InvokeAsync<RunHistory?>(nameof(TrainingHub.JoinRun), _doneRun));
        Assert.NotNull(await user.InvokeAsync<RunHistory?>(nameof(TrainingHub.JoinRun), _doneRun));

        await shares.RevokeAsync(member, link.Id);

        await visitor.Closed.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HubConnectionState.Disconnected, visitor.Connection.State);
        Assert.Equal(HubConnectionState.Connected, user.State);
        Assert.NotNull(await user.InvokeAsync<RunHistory?>(nameof(TrainingHub.JoinRun), _doneRun));
    }

    [Fact]
    public async Task AnExpiredShareLinkClosesItsOpenHubConnectionsOnTheRecheck()
    {
        var (_, token) = _app.Services.GetRequiredService<ShareLinks>().Create(_app.CallerOf(UserRole.Member), ShareKind.Run, [_doneRun], TimeSpan.FromSeconds(3));
        await using var visitor = await ConnectShareVisitorAsync(token);
        Assert.NotNull(await visitor.Connection.InvokeAsync<RunHistory?>(nameof(TrainingHub.JoinRun), _doneRun));
        Assert.Equal(HubConnectionState.Connected, visitor.Connection.State);

        await visitor.Closed.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task DisablingAUserClosesTheirOpenHubConnections()
    {
        var admin = _app.CallerOf(UserRole.Admin);
        var viewer = _app.UserOf(UserRole.Viewer, "soon-disabled");
        var closed = new TaskCompletionSource();
        await using var hub = await _app.ConnectHubAsync(null, o => o.Headers[TestAuthHandler.Header] = viewer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        hub.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        Assert.NotNull(await hub.InvokeAsync<RunHistory?>(nameof(TrainingHub.JoinRun), _doneRun));

        await _app.Services.GetRequiredService<AccountService>().SetDisabledAsync(admin, viewer.Id, true);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>A hub connection opened with the cookie a share link sets, and a task that ends when the server closes it.</summary>
    private async Task<ShareVisitor> ConnectShareVisitorAsync(string token)
    {
        using var browser = _app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var opened = await browser.GetAsync($"/share/{token}");
        var cookie = opened.Headers.GetValues("Set-Cookie").First().Split(';')[0];
        var connection = await _app.ConnectHubAsync(null, o => o.Headers["Cookie"] = cookie);
        var closed = new TaskCompletionSource();
        connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        return new ShareVisitor(connection, closed.Task);
    }

    private sealed record ShareVisitor(HubConnection Connection, Task Closed) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Connection.DisposeAsync();
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
        await accounts.SetDisabledAsync(admin, member.Id, true);
        Assert.Equal(Caller.Anonymous, _app.Services.GetRequiredService<CallerResolver>().Resolve(Auth.MedvisClaims.ForUser(member, "x")));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task AViewerIsOfferedNoActionItMayNotTake()
    {
        using var viewer = _app.CreateClientAs(UserRole.Viewer);
        var home = await viewer.GetStringAsync("/");
        Assert.DoesNotContain("home-new-run", home);
        Assert.DoesNotContain("href=\"runs/new\"", home);
        Assert.Contains("Your account may not open this page", await viewer.GetStringAsync("/account/denied"));

        using var member = _app.CreateClientAs(UserRole.Member);
        Assert.Contains("home-new-run", await member.GetStringAsync("/"));
    }
}
