using Medvis.Core.Data;
using Medvis.Core.Data.Metadata;
using Medvis.Core.Storage;
using Medvis.Core.Training;
using Medvis.Web.Auth;
using Medvis.Web.Datasets;
using Medvis.Web.Tests.Support;
using Medvis.Web.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Medvis.Web.Tests.EndToEnd;

/// <summary>
/// Metadata and neighbours in Debian's headless Chromium at 1400×1000 on a quickly trained demo map: a member-level
/// user uploads a HAM10000-style CSV on the Datasets page, colours the run's map by a text column (legend of its
/// values) and by a number column (colour bar), filters out a category (greyed), and clicks a point to get its
/// 15 neighbours on the map and in feature space, ringed on the map. Screenshots land in TestResults/screenshots.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class MetadataBrowserTests : IDisposable
{

    private readonly TempFolder _dir = new();

    [SkippableFact]
    public async Task AnUploadedMetadataTableColoursAndFiltersTheMapAndAClickedPointShowsItsNeighbours()
    {
        HeadlessChromium.SkipUnlessInstalled();
        await using var app = new KestrelApp(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:SeedDemoDataset"] = "true" });
        var database = app.Services.GetRequiredService<IMedvisStore>();
        var demo = database.Datasets.FindBySpec(DatasetService.DemoSpec)!;
        var runId = await TrainTinyMapAsync(app, demo);
        var labels = app.Services.GetRequiredService<DatasetService>().Load(demo, DatasetSplit.Train).Labels;
        var csv = _dir.File("ham-style.csv");
        await File.WriteAllTextAsync(csv, SyntheticMetadata.HamStyleCsv(labels, seed: 4));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await HeadlessChromium.OpenPageAsync(browser, app);
        Assertions.SetDefaultExpectTimeout(60_000);
        await HeadlessChromium.SignInAsAdminAsync(page, app);
        try
        {
            // Upload on the Datasets page.
            await GotoInteractiveAsync(page, "datasets");
            await Assertions.Expect(page.GetByTestId("metadata-none")).ToBeVisibleAsync();
            await page.GetByTestId("metadata-upload").SetInputFilesAsync(csv);
            await Assertions.Expect(page.GetByTestId("metadata-summary")).ToContainTextAsync($"{labels.Length} of {labels.Length} images");
            await Assertions.Expect(page.GetByTestId("metadata-columns")).ToContainTextAsync("localization");
            await page.GetByTestId("metadata-panel").ScreenshotAsync(new() { Path = Shot("metadata-attached") });

            // Colour the map by a text column: one legend entry per body site.
            await GotoInteractiveAsync(page, $"runs/{runId}");
            var map = page.Locator($"#run-map-{runId}");
            await Assertions.Expect(map.Locator(".nsewdrag")).ToHaveCountAsync(1);
            await ChooseAsync(page, "colour-by", "localization");
            var sites = database.Metadata.Load(demo.Id)!.Column("localization")!.Categories;
            await WaitForTracesAsync(map, names => sites.All(names.Contains));
            var legend = await map.Locator(".legend .legendtext").AllTextContentsAsync();
            Assert.True(sites.All(legend.Contains), $"legend: {string.Join(", ", legend)}");
            await page.ScreenshotAsync(new() { Path = Shot("metadata-colour-by-site") });

            // A number column: one trace on a colour scale with a colour bar titled by the column.
            await ChooseAsync(page, "colour-by", "age");
            await Assertions.Expect(map.Locator(".colorbar")).ToHaveCountAsync(1);
            Assert.Contains("age", await map.Locator(".colorbar").TextContentAsync());
            await page.ScreenshotAsync(new() { Path = Shot("metadata-colour-by-age") });

            // Filter: untick "male"; those points turn grey.
            await ChooseAsync(page, "filter-by", "sex");
            await page.GetByTestId("filter-category-male").ClickAsync();
            await WaitForTracesAsync(map, names => names.Contains("filtered out"));
            await Assertions.Expect(page.GetByTestId("colouring-summary")).ToContainTextAsync("are grey");
            await page.ScreenshotAsync(new() { Path = Shot("metadata-filtered") });

            // Hover a point (the hover panel shows its metadata), then ask for its neighbours.
            var (x, y) = await PixelOfFirstPointAsync(map);
            await page.Mouse.MoveAsync(x, y);
            await Assertions.Expect(page.GetByTestId("hover-metadata")).ToContainTextAsync("localization: ");
            // A click on the point (the map is in lasso mode) asks for its neighbours; so does the hover panel's button.
            await page.Mouse.ClickAsync(x, y);
            var clicked = await page.GetByTestId("hover-point").TextContentAsync();
            await Assertions.Expect(page.GetByTestId("neighbours-title")).ToContainTextAsync($"Neighbours of point {clicked!.Split(' ')[1]} ");
            await page.GetByTestId("show-neighbours").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=neighbours-map] img")).ToHaveCountAsync(15);
            await Assertions.Expect(page.Locator("[data-testid=neighbours-features] img")).ToHaveCountAsync(15);
            await Assertions.Expect(page.GetByTestId("neighbours-overlap")).ToContainTextAsync("of 15 in both lists");
            // Neighbours in both lists carry a marker no class colour can be mistaken for, in each list.
            var inBoth = int.Parse((await page.GetByTestId("neighbours-overlap").TextContentAsync())!.Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            await Assertions.Expect(page.Locator("[data-testid=neighbours-map] img[data-both]")).ToHaveCountAsync(inBoth);
            await Assertions.Expect(page.Locator("[data-testid=neighbours-features] img[data-both]")).ToHaveCountAsync(inBoth);
            if (inBoth > 0)
                Assert.Contains("dashed", await page.Locator("[data-testid=neighbours-map] img[data-both]").First.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));
            await WaitForTracesAsync(map, names => names.Contains("map neighbours") && names.Contains("feature neighbours"));
            await page.ScreenshotAsync(new() { Path = Shot("neighbours"), FullPage = true });

            // Out-of-sample: two training images uploaded as PNG; each lists its file name, its class vote and 15 neighbours,
            // and its star's hover text names the file and the predicted class.
            var files = new[] { 0, 5 }.Select(i => new FilePayload
            {
                Name = $"upload-{i}.png", MimeType = "image/png",
                Buffer = ImageEncoding.EncodePng(app.Services.GetRequiredService<DatasetService>().Load(demo, DatasetSplit.Train), i),
            }).ToArray();
            await page.Locator(".mud-tab", new() { HasTextString = "Out-of-sample" }).ClickAsync();
            // The tab goes into the address (without a navigation).
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("tab="));
            await Assertions.Expect(page.GetByTestId("oos-upload")).ToBeVisibleAsync();
            await page.GetByTestId("oos-upload").SetInputFilesAsync(files);
            await Assertions.Expect(page.Locator("[data-testid=oos-table] tbody tr")).ToHaveCountAsync(2);
            await Assertions.Expect(page.GetByTestId("oos-table")).ToContainTextAsync("upload-5.png");
            await page.Locator("[data-testid=oos-table] tbody tr").First.ClickAsync();
            await Assertions.Expect(page.GetByTestId("oos-name")).ToHaveTextAsync("upload-0.png");
            await Assertions.Expect(page.GetByTestId("oos-vote")).ToContainTextAsync("of 15 neighbours");
            await Assertions.Expect(page.Locator("[data-testid=oos-neighbours] img")).ToHaveCountAsync(15);
            var oosMap = page.GetByTestId("oos-map").Locator(".js-plotly-plot");
            var hoverTexts = await oosMap.EvaluateAsync<string[]>("e => e.data.find(t => t.name === 'uploaded').text");
            Assert.Equal(2, hoverTexts.Length);
            Assert.StartsWith("upload-0.png → ", hoverTexts[0]);
            Assert.Contains(" of 15 neighbours)", hoverTexts[0]);
            await page.ScreenshotAsync(new() { Path = Shot("out-of-sample"), FullPage = true });
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Shot("metadata-failure"), FullPage = true });
            throw;
        }
    }

    [SkippableFact]
    public async Task CancelAsksFirstAndACancelledRunResumesFromItsCheckpoint()
    {
        HeadlessChromium.SkipUnlessInstalled();
        await using var app = new KestrelApp(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:SeedDemoDataset"] = "true" });
        var database = app.Services.GetRequiredService<IMedvisStore>();
        var demo = database.Datasets.FindBySpec(DatasetService.DemoSpec)!;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await HeadlessChromium.OpenPageAsync(browser, app);
        Assertions.SetDefaultExpectTimeout(60_000);
        // Signed in before the run starts, so no sign-in write races its every-epoch checkpoints.
        await HeadlessChromium.SignInAsAdminAsync(page, app);

        var options = new TrainingOptions { Backbone = "tiny", BatchSize = 64, EpochsPerStage = [200, 1, 1], Device = "cpu", Seed = 3 };
        var run = app.Services.GetRequiredService<RunPlanner>().Queue(Caller.System, new RunRequest(demo.Id, DatasetSplit.Train, options, MaxImages: 640)).Runs[0];
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while ((database.CheckpointsFor(run.Id).LoadLatest()?.GlobalEpoch ?? 0) < 1)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("no checkpoint within 3 minutes");
            await Task.Delay(200);
        }
        try
        {
            await GotoInteractiveAsync(page, "runs");
            // The first answer keeps it training.
            await page.GetByTestId($"cancel-run-{run.Id}").ClickAsync();
            var dialog = page.Locator(".mud-dialog");
            await Assertions.Expect(dialog).ToContainTextAsync("can be resumed later");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Keep training" }).ClickAsync();
            await Assertions.Expect(dialog).ToHaveCountAsync(0);
            Assert.Equal(RunStatus.Running, database.Runs.Get(run.Id)!.Status);
            // The second cancels it; its checkpoint stays and Resume appears.
            await page.GetByTestId($"cancel-run-{run.Id}").ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel run" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId($"resume-run-{run.Id}")).ToBeVisibleAsync();
            Assert.Equal(RunStatus.Cancelled, database.Runs.Get(run.Id)!.Status);
            var kept = database.CheckpointsFor(run.Id).LoadLatest()!.GlobalEpoch;
            await page.ScreenshotAsync(new() { Path = Shot("run-cancelled") });

            await page.GetByTestId($"resume-run-{run.Id}").ClickAsync();
            await Assertions.Expect(page.GetByTestId($"cancel-run-{run.Id}")).ToBeVisibleAsync();
            deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (!database.Runs.Get(run.Id)!.Messages.Any(m => m.Contains($"continues after epoch {kept}", StringComparison.Ordinal)))
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("the run was not resumed");
                await Task.Delay(200);
            }
            await page.ScreenshotAsync(new() { Path = Shot("run-resumed") });
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Shot("resume-failure"), FullPage = true });
            throw;
        }
        finally
        {
            app.Services.GetRequiredService<RunPlanner>().Cancel(Caller.System, run.Id);
        }
    }

    /// <summary>A real run of the tiny backbone on 300 demo images (a saved model gives the features), trained here.</summary>
    private static async Task<int> TrainTinyMapAsync(KestrelApp app, DatasetRecord demo)
    {
        var options = new TrainingOptions { Backbone = "tiny", BatchSize = 64, EpochsPerStage = [1, 1, 1], Device = "cpu", Seed = 3 };
        var run = app.Services.GetRequiredService<RunPlanner>().Queue(Caller.System, new RunRequest(demo.Id, DatasetSplit.Train, options, MaxImages: 300)).Runs[0];
        var database = app.Services.GetRequiredService<IMedvisStore>();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (database.Runs.Get(run.Id)!.Status is RunStatus.Queued or RunStatus.Running)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the tiny demo run did not finish within 5 minutes");
            await Task.Delay(200);
        }
        Assert.Equal(RunStatus.Done, database.Runs.Get(run.Id)!.Status);
        return run.Id;
    }

    /// <summary>A prerendered page ignores input until its circuit connects: wait for the layout's interactivity marker.</summary>
    private static async Task GotoInteractiveAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await Assertions.Expect(page.GetByTestId("circuit-interactive")).ToBeAttachedAsync();
    }

    private static async Task ChooseAsync(IPage page, string select, string item)
    {
        await page.GetByTestId(select).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").GetByText(item, new() { Exact = true }).ClickAsync();
    }

    /// <summary>Waits until the names of the map's traces satisfy <paramref name="condition"/> (the map redraws through the circuit).</summary>
    private static async Task WaitForTracesAsync(ILocator map, Func<string[], bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var names = await map.EvaluateAsync<string[]>("e => (e.data || e.querySelector('.js-plotly-plot')?.data || []).map(t => t.name)");
            if (condition(names)) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"map traces: {string.Join(", ", names)}");
            await Task.Delay(200);
        }
    }

    /// <summary>The page position of the first point of the first coloured trace, from Plotly's own axes.</summary>
    private static async Task<(float X, float Y)> PixelOfFirstPointAsync(ILocator map)
    {
        var xy = await map.EvaluateAsync<float[]>("""
            e => {
                const layout = e._fullLayout, box = e.getBoundingClientRect();
                const trace = e.data.find(t => t.name !== 'filtered out' && t.x.length > 0);
                return [box.left + layout._size.l + layout.xaxis.l2p(trace.x[0]), box.top + layout._size.t + layout.yaxis.l2p(trace.y[0])];
            }
            """);
        return (xy[0], xy[1]);
    }

    private static string Shot(string name) => HeadlessChromium.Screenshot(name);

    public void Dispose() => _dir.Dispose();
}
