using System.Net;
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
/// The REST API under /api/v1 through the real app: reads, queueing with the form's validation as problem
/// details, cancel, resume and delete with the pages' role rules, the run files, and the OpenAPI document. The
/// training worker is left out: queued runs stay queued.
/// </summary>
public sealed class RestApiTests : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private MedvisAppFactory _app = default!;
    private int _dataset;
    private int _doneRun;

    public Task InitializeAsync()
    {
        _app = new MedvisAppFactory(_dir.File("medvis.db"), services: s =>
            s.Remove(s.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(TrainingWorker))));
        _dataset = _app.Services.GetRequiredService<DatasetService>().Register(Caller.System, "demo").Dataset!.Id;
        var store = _app.Services.GetRequiredService<IMedvisStore>();
        var owner = _app.UserOf(UserRole.Member, "owner");
        var run = store.Runs.Add(new RunRecord
        {
            Name = "finished", DatasetId = _dataset, DatasetSpec = "demo", DatasetName = "demo", Status = RunStatus.Done, OwnerId = owner.Id, OwnerName = owner.Name,
        });
        store.Artifacts.SaveResult(new RunResult(run.Id, [0.5f, 1, 2], [0, -1, 2.25f], [0, 1, 0], [4, 7, 9], ["a", "b"]));
        _doneRun = run.Id;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _dir.Dispose();
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private object SmallRun(string? name = null) => new { datasetId = _dataset, name, backbone = "tiny", batchSize = 32, epochsPerStage = new[] { 1, 1, 1 }, maxImages = 64 };

    [Fact]
    public async Task DatasetsAndRunsAreListedAndReadAndFilteredByStatusDatasetAndOwner()
    {
        using var viewer = _app.CreateClientAs(UserRole.Viewer);
        using var member = _app.CreateClientAs(UserRole.Member);
        Assert.Equal(HttpStatusCode.Created, (await member.PostAsJsonAsync("/api/v1/runs", SmallRun("queued one"))).StatusCode);

        var datasets = await JsonOf(await viewer.GetAsync("/api/v1/datasets"));
        var demo = Assert.Single(datasets.EnumerateArray());
        Assert.Equal(_dataset, demo.GetProperty("id").GetInt32());
        Assert.True(demo.GetProperty("images").GetProperty("train").GetInt32() > 0);
        Assert.Equal(_dataset, (await JsonOf(await viewer.GetAsync($"/api/v1/datasets/{_dataset}"))).GetProperty("id").GetInt32());

        string[] Names(JsonElement runs) => [.. runs.EnumerateArray().Select(r => r.GetProperty("name").GetString()!)];
        Assert.Equal(["queued one", "finished"], Names(await JsonOf(await viewer.GetAsync("/api/v1/runs"))));
        Assert.Equal(["finished"], Names(await JsonOf(await viewer.GetAsync("/api/v1/runs?status=done"))));
        Assert.Equal(["queued one"], Names(await JsonOf(await viewer.GetAsync("/api/v1/runs?status=Queued&owner=TEST-MEMBER"))));
        Assert.Equal(["finished"], Names(await JsonOf(await viewer.GetAsync($"/api/v1/runs?owner=owner&datasetId={_dataset}"))));
        Assert.Empty(Names(await JsonOf(await viewer.GetAsync("/api/v1/runs?datasetId=999"))));

        var queued = (await JsonOf(await viewer.GetAsync("/api/v1/runs?status=queued")))[0];
        Assert.Equal(1, queued.GetProperty("queuePosition").GetInt32());
        Assert.Equal(32, queued.GetProperty("options").GetProperty("BatchSize").GetInt32());
        var done = await JsonOf(await viewer.GetAsync($"/api/v1/runs/{_doneRun}"));
        Assert.Equal(("done", "owner"), (done.GetProperty("status").GetString(), done.GetProperty("ownerName").GetString()));
    }

    [Fact]
    public async Task ABadFilterUnknownIdsAndAnonymousCallersGetProblemDetails()
    {
        using var viewer = _app.CreateClientAs(UserRole.Viewer);
        var badStatus = await viewer.GetAsync("/api/v1/runs?status=finished");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Equal("application/problem+json", badStatus.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("unknown status 'finished'", (await JsonOf(badStatus)).GetProperty("errors").GetProperty("status")[0].GetString());

        foreach (var path in new[] { "/api/v1/runs/999", "/api/v1/datasets/999", "/api/v1/runs/999/coordinates" })
        {
            var missing = await viewer.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
            Assert.Contains("does not exist", (await JsonOf(missing)).GetProperty("detail").GetString());
        }

        using var anonymous = _app.CreateClient(new() { AllowAutoRedirect = false });
        var refused = await anonymous.GetAsync("/api/v1/runs");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnInvalidRunRequestAnswersWithTheFormsFieldProblemsAndQueuesNothing()
    {
        using var member = _app.CreateClientAs(UserRole.Member);

        var invalid = await member.PostAsJsonAsync("/api/v1/runs", new { datasetId = _dataset, batchSize = 2, maxImages = 1, device = "tpu" });

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);
        var problem = await JsonOf(invalid);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        var errors = problem.GetProperty("errors");
        Assert.Equal("batch size 2 must be between 4 and 65536", errors.GetProperty("batchSize")[0].GetString());
        Assert.Equal("the image limit must be at least 2", errors.GetProperty("maxImages")[0].GetString());
        Assert.True(errors.TryGetProperty("device", out _), errors.ToString());

        var unknown = await JsonOf(await member.PostAsJsonAsync("/api/v1/runs", new { datasetId = _dataset, preset = "turbo", split = "sideways", epochsPerStage = new[] { 1, 2 } }));
        Assert.StartsWith("Unknown preset 'turbo'", unknown.GetProperty("errors").GetProperty("preset")[0].GetString());
        Assert.StartsWith("unknown split 'sideways'", unknown.GetProperty("errors").GetProperty("split")[0].GetString());
        Assert.True(unknown.GetProperty("errors").TryGetProperty("epochsPerStage", out _));

        var noDataset = await JsonOf(await member.PostAsJsonAsync("/api/v1/runs", new { datasetId = 999 }));
        Assert.Equal("pick a registered dataset", noDataset.GetProperty("errors").GetProperty("dataset")[0].GetString());

        var notJson = await member.PostAsync("/api/v1/runs", new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal("application/problem+json", notJson.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["finished"], _app.Services.GetRequiredService<IMedvisStore>().Runs.All().Select(r => r.Name));
    }

    [Fact]
    public async Task AQueuedRunTakesThePresetAndTheFieldsGivenAsTheFormWould()
    {
        using var member = _app.CreateClientAs(UserRole.Member);

        var response = await member.PostAsJsonAsync("/api/v1/runs", new { datasetId = _dataset, preset = "cpu-orientation", batchSize = 16, seed = 5, augmentation = "rot90", budgetMinutes = 2.5 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var run = await JsonOf(response);
        Assert.Equal($"/api/v1/runs/{run.GetProperty("id").GetInt32()}", response.Headers.Location!.OriginalString);
        var stored = _app.Services.GetRequiredService<IMedvisStore>().Runs.Get(run.GetProperty("id").GetInt32())!;
        var options = Core.Training.TrainingOptionsJson.Deserialize(stored.OptionsJson);
        var form = new RunForm();
        form.Apply(_app.Services.GetRequiredService<Core.Runs.RunPresetCatalog>().Get("cpu-orientation"));
        form.BatchSize = 16;
        form.Seed = 5;
        form.AugmentationSet = "rot90";
        form.BudgetMinutes = 2.5;
        form.DatasetId = _dataset;
        Assert.Equal(Core.Training.TrainingOptionsJson.Serialize(form.ToOptions()), Core.Training.TrainingOptionsJson.Serialize(options));
        Assert.Equal("test-member", stored.OwnerName);
    }

    [Fact]
    public async Task CancelResumeAndDeleteFollowThePagesRules()
    {
        using var owner = _app.CreateClientAs(UserRole.Member);
        using var otherMember = _app.CreateClientAs(UserRole.Member, "other-member");
        using var admin = _app.CreateClientAs(UserRole.Admin);
        var id = (await JsonOf(await owner.PostAsJsonAsync("/api/v1/runs", SmallRun()))).GetProperty("id").GetInt32();

        var notYours = await otherMember.PostAsync($"/api/v1/runs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Forbidden, notYours.StatusCode);
        Assert.Contains($"may not cancel run {id}", (await JsonOf(notYours)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await owner.DeleteAsync($"/api/v1/runs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await owner.PostAsync($"/api/v1/runs/{id}/resume", null)).StatusCode);

        var cancelled = await owner.PostAsync($"/api/v1/runs/{id}/cancel", null);
        Assert.Equal("cancelled", (await JsonOf(cancelled)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await owner.PostAsync($"/api/v1/runs/{id}/cancel", null)).StatusCode);

        var resumed = await admin.PostAsync($"/api/v1/runs/{id}/resume", null);
        Assert.Equal("queued", (await JsonOf(resumed)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/runs/{id}/cancel", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await otherMember.DeleteAsync($"/api/v1/runs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/runs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/api/v1/runs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.DeleteAsync($"/api/v1/runs/{id}")).StatusCode);
        var audit = _app.Services.GetRequiredService<IMedvisStore>().Audit.Latest(6).Select(a => (a.Action, a.UserName)).ToList();
        Assert.Equal([("deleted run", "test-member"), ("cancelled run", "test-admin"), ("resumed run", "test-admin"), ("cancelled run", "test-member"), ("queued run", "test-member")], audit.Take(5));
    }

    [Fact]
    public async Task AFinishedRunsCoordinatesComeAsJsonAndCsvAndMissingFilesAreNamed()
    {
        using var viewer = _app.CreateClientAs(UserRole.Viewer);

        var map = await JsonOf(await viewer.GetAsync($"/api/v1/runs/{_doneRun}/coordinates"));
        Assert.Equal(["a", "b"], map.GetProperty("classNames").EnumerateArray().Select(c => c.GetString()));
        var points = map.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal([4, 7, 9], points.Select(p => p.GetProperty("datasetIndex").GetInt32()));
        Assert.Equal([0.5f, 1f, 2f], points.Select(p => p.GetProperty("x").GetSingle()));
        Assert.Equal([0f, -1f, 2.25f], points.Select(p => p.GetProperty("y").GetSingle()));
        Assert.Equal(["a", "b", "a"], points.Select(p => p.GetProperty("className").GetString()));

        var csv = await viewer.GetAsync($"/api/v1/runs/{_doneRun}/coordinates.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Trim().Split('\n');
        Assert.Equal(Core.Evaluation.CoordsCsv.Header, lines[0]);
        Assert.Equal(["4", "7", "9"], lines[1..].Select(l => l.Split(',')[0]));
        Assert.Equal(await (await viewer.GetAsync($"/api/runs/{_doneRun}/coordinates.csv")).Content.ReadAsStringAsync(), await csv.Content.ReadAsStringAsync());

        foreach (var file in new[] { "metrics", "card", "model" })
        {
            var missing = await viewer.GetAsync($"/api/v1/runs/{_doneRun}/{file}");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal($"Run {_doneRun} has no {file} (done).", (await JsonOf(missing)).GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task AShareLinkVisitorReadsItsRunAloneAndListsNothing()
    {
        var (_, token) = _app.Services.GetRequiredService<ShareLinks>().Create(_app.CallerOf(UserRole.Member), ShareKind.Run, [_doneRun], TimeSpan.FromDays(1));
        var other = _app.Services.GetRequiredService<IMedvisStore>().Runs.Add(new RunRecord { Name = "other", DatasetId = _dataset, DatasetSpec = "demo", Status = RunStatus.Done });
        using var visitor = _app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await visitor.GetAsync($"/share/{token}");

        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/api/v1/runs/{_doneRun}/coordinates")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/api/v1/runs/{_doneRun}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await visitor.GetAsync($"/api/v1/runs/{other.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await visitor.GetAsync($"/api/v1/runs/{other.Id}/coordinates")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await visitor.GetAsync("/api/v1/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await visitor.GetAsync("/api/v1/datasets")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await visitor.PostAsJsonAsync("/api/v1/runs", SmallRun())).StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentValidatesAndListsTheApiAndItsBearerSchemeForSignedInUsers()
    {
        using var viewer = _app.CreateClientAs(UserRole.Viewer);

        var response = await viewer.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        // The document reads back without errors and passes the OpenAPI library's validation rules.
        var (parsed, diagnostic) = Microsoft.OpenApi.OpenApiDocument.Parse(text, "json");
        Assert.Empty(diagnostic!.Errors);
        Assert.Empty(Microsoft.OpenApi.OpenApiElementExtensions.Validate(parsed!, Microsoft.OpenApi.ValidationRuleSet.GetDefaultRuleSet()) ?? []);
        var document = JsonDocument.Parse(text).RootElement;
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        var paths = document.GetProperty("paths").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateObject().Select(m => m.Name).Order().ToArray());
        Assert.Equal(["get"], paths["/api/v1/datasets"]);
        Assert.Equal(["get"], paths["/api/v1/datasets/{datasetId}"]);
        Assert.Equal(["get", "post"], paths["/api/v1/runs"]);
        Assert.Equal(["delete", "get"], paths["/api/v1/runs/{runId}"]);
        Assert.Equal(["post"], paths["/api/v1/runs/{runId}/cancel"]);
        Assert.Equal(["post"], paths["/api/v1/runs/{runId}/resume"]);
        foreach (var file in new[] { "coordinates", "coordinates.csv", "metrics", "card", "model" }) Assert.Equal(["get"], paths[$"/api/v1/runs/{{runId}}/{file}"]);
        Assert.Equal(["post"], paths["/api/v1/runs/{runId}/placements"]);
        Assert.Equal(12, paths.Count);
        Assert.DoesNotContain(paths.Keys, p => !p.StartsWith("/api/v1/", StringComparison.Ordinal));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
        var queue = document.GetProperty("paths").GetProperty("/api/v1/runs").GetProperty("post");
        Assert.True(queue.GetProperty("responses").TryGetProperty("400", out _));
        Assert.True(queue.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));

        var reference = await viewer.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        var html = await reference.Content.ReadAsStringAsync();
        Assert.Contains("openapi/v1.json", html);
        // The reference's scripts are served by the app itself: it works without a network.
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]* src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            Assert.False(Uri.TryCreate(script, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal), script);
            Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(new Uri(new Uri("http://localhost/scalar/v1"), script))).StatusCode);
        }
        using var anonymous = _app.CreateClient(new() { AllowAutoRedirect = false });
        Assert.StartsWith("/account/login", (await anonymous.GetAsync("/scalar/v1")).Headers.Location?.PathAndQuery ?? "no redirect");
        Assert.StartsWith("/account/login", (await anonymous.GetAsync("/openapi/v1.json")).Headers.Location?.PathAndQuery ?? "no redirect");
    }
}
