using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Medvis.Core.Runs;
using Medvis.Core.Storage;
using Medvis.Web.Auth;
using Medvis.Web.Datasets;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Integration;

/// <summary>What a notebook does: queue a run with a token through the REST API, poll it to done, fetch its map and files.</summary>
[Collection(TrainingCollection.Name)]
public sealed class RestApiTrainingTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ARunQueuedWithATokenIsPolledToDoneAndItsMapMetricsCardAndModelDownload()
    {
        await using var app = new MedvisAppFactory(_dir.File("medvis.db"));
        var dataset = app.Services.GetRequiredService<DatasetService>().Register(Caller.System, "demo").Dataset!;
        var secret = app.Services.GetRequiredService<ApiTokens>().Create(app.CallerOf(UserRole.Member), "notebook", UserRole.Member, null).Secret!;
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);

        var queued = await client.PostAsJsonAsync("/api/v1/runs", new
        {
            datasetId = dataset.Id, name = "from a notebook", backbone = "tiny", batchSize = 32, epochsPerStage = new[] { 1, 1, 1 },
            maxImages = 64, snapshotEvery = 0, device = "cpu", seed = 2,
        });
        Assert.Equal(HttpStatusCode.Created, queued.StatusCode);
        var runId = JsonDocument.Parse(await queued.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();

        var run = await PollUntilEndedAsync(client, runId);

        Assert.True(run.GetProperty("status").GetString() == "done", run.ToString());
        Assert.Equal(3, run.GetProperty("epochsDone").GetInt32());
        var map = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/runs/{runId}/coordinates")).RootElement;
        var points = map.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(64, points.Count);
        Assert.All(points, p => Assert.True(float.IsFinite(p.GetProperty("x").GetSingle()) && float.IsFinite(p.GetProperty("y").GetSingle())));
        Assert.Equal(64, points.Select(p => p.GetProperty("datasetIndex").GetInt32()).Distinct().Count());
        var csv = await client.GetStringAsync($"/api/v1/runs/{runId}/coordinates.csv");
        Assert.Equal(65, csv.Trim().Split('\n').Length);
        var metrics = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/runs/{runId}/metrics")).RootElement;
        Assert.Equal(JsonValueKind.Object, metrics.ValueKind);
        var card = RunCard.FromJson(await client.GetStringAsync($"/api/v1/runs/{runId}/card"), "run.json");
        Assert.Equal(64, card.Dataset.TrainedImages);
        var model = await client.GetAsync($"/api/v1/runs/{runId}/model");
        Assert.Equal("application/octet-stream", model.Content.Headers.ContentType?.MediaType);
        Assert.Equal(app.Services.GetRequiredService<Core.Storage.IMedvisStore>().Artifacts.LoadModel(runId), await model.Content.ReadAsByteArrayAsync());

        // New images placed on the map: a training image gets its class; noise is unlike the training images and gets none.
        var own = app.Services.GetRequiredService<Results.RunResults>().ImageOfPoint(runId, 0)!.Value;
        var pixels = new byte[3 * 28 * 28];
        new Random(5).NextBytes(pixels);
        var noise = new Core.Data.ImageDataset("noise", pixels, 1, 3, 28, 28, [0], ["x"]);
        using var upload = new MultipartFormDataContent
        {
            { new ByteArrayContent(Core.Data.ImageEncoding.EncodePng(own.Images, own.Index)), "files", "own.png" },
            { new ByteArrayContent(Core.Data.ImageEncoding.EncodePng(noise, 0)), "files", "noise.png" },
        };
        var placed = await client.PostAsync($"/api/v1/runs/{runId}/placements", upload);
        Assert.True(placed.IsSuccessStatusCode, await placed.Content.ReadAsStringAsync());
        var images = JsonDocument.Parse(await placed.Content.ReadAsStringAsync()).RootElement.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(["own.png", "noise.png"], images.Select(i => i.GetProperty("name").GetString()));
        Assert.False(images[0].GetProperty("unlikeTrainingImages").GetBoolean());
        Assert.NotNull(images[0].GetProperty("class").GetString());
        Assert.Equal(15, images[0].GetProperty("neighbours").GetArrayLength());
        Assert.True(images[1].GetProperty("unlikeTrainingImages").GetBoolean());
        Assert.Equal(JsonValueKind.Null, images[1].GetProperty("class").ValueKind);
        Assert.StartsWith("unlike the training images", images[1].GetProperty("why").GetString());

        var notImages = await client.PostAsync($"/api/v1/runs/{runId}/placements", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notImages.StatusCode);
        using var empty = new MultipartFormDataContent { { new StringContent("x"), "note" } };
        var noFiles = await client.PostAsync($"/api/v1/runs/{runId}/placements", empty);
        Assert.Equal(HttpStatusCode.BadRequest, noFiles.StatusCode);
        Assert.Contains("Choose at least one image", await noFiles.Content.ReadAsStringAsync());
    }

    // What a script does: ask again until the run has ended (a short pause between asks), within the allowance.
    private static async Task<JsonElement> PollUntilEndedAsync(HttpClient client, int runId)
    {
        using var deadline = new CancellationTokenSource(RunTimeout);
        while (true)
        {
            var run = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/runs/{runId}", deadline.Token)).RootElement;
            if (run.GetProperty("status").GetString() is "done" or "failed" or "cancelled") return run;
            await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token);
        }
    }
}
