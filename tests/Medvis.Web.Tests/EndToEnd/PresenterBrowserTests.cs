using System.Text.RegularExpressions;
using Medvis.Core.Data;
using Medvis.Core.Evaluation;
using Medvis.Core.Storage;
using Medvis.Web.Auth;
using Medvis.Web.Datasets;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Medvis.Web.Tests.EndToEnd;

/// <summary>
/// The presenter view in Debian's headless Chromium at 1400×1000: a visitor without an account opens a share link of a
/// finished run and lands on it, sees the map and a legend with loaded sample images of every class, no button that
/// changes anything, the replay of the stored snapshots playing to the last epoch, and a way to the normal read-only
/// page; revoking the link ends the open view. Screenshots land in TestResults/screenshots.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class PresenterBrowserTests : IDisposable
{
    private const int Images = 400;
    private const int Snapshots = 6;

    private readonly TempFolder _dir = new();

    [SkippableFact]
    public async Task AShareLinkOpensThePresenterViewWithMapThumbnailLegendAndReplayAndNothingThatChangesAnything()
    {
        HeadlessChromium.SkipUnlessInstalled();
        await using var app = new KestrelApp(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:SeedDemoDataset"] = "true" });
        var database = app.Services.GetRequiredService<IMedvisStore>();
        var demo = database.Datasets.FindBySpec(DatasetService.DemoSpec)!;
        var images = app.Services.GetRequiredService<DatasetService>().Load(demo, DatasetSplit.Train);
        var runId = StoreRun(database, demo, images);
        var member = database.Users.Add("teacher", UserRole.Member);
        var shares = app.Services.GetRequiredService<ShareLinks>();
        var (link, token) = shares.Create(Caller.For(member), ShareKind.Run, [runId], TimeSpan.FromHours(1));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await HeadlessChromium.OpenPageAsync(browser, app);
        Assertions.SetDefaultExpectTimeout(30_000);
        try
        {
            await page.GotoAsync($"share/{token}");
            await page.WaitForURLAsync(new Regex($"/runs/{runId}/present$"));
            await Assertions.Expect(page.GetByTestId("circuit-interactive")).ToBeAttachedAsync(new() { Timeout = 90_000 });
            await Assertions.Expect(page.GetByTestId("shared-view")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("presenter-title")).ToHaveTextAsync("presented run");
            // The map is drawn (plotly's drag layer exists) and fills most of the screen's height.
            var plot = page.Locator("[data-testid=presenter-map] .nsewdrag").First;
            await Assertions.Expect(plot).ToBeVisibleAsync();
            var box = (await plot.BoundingBoxAsync())!;
            Assert.True(box.Width >= 600 && box.Height >= 600, $"the map's plot area is only {box.Width:F0}×{box.Height:F0} px");

            // Every class in the legend with sample images that actually loaded.
            var classes = page.GetByTestId("legend-class");
            await Assertions.Expect(classes).ToHaveCountAsync(demo.ClassNames.Count);
            for (var c = 0; c < demo.ClassNames.Count; c++)
                await Assertions.Expect(classes.Nth(c)).ToContainTextAsync(demo.ClassNames[c]);
            var thumbnails = page.GetByTestId("legend-thumbnail");
            await Assertions.Expect(thumbnails).ToHaveCountAsync(demo.ClassNames.Count * 4);
            foreach (var thumbnail in await thumbnails.AllAsync())
            {
                await thumbnail.ScrollIntoViewIfNeededAsync();
                await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await thumbnail.ElementHandleAsync());
            }
            var legendFont = await page.GetByTestId("legend-class").First.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e.firstElementChild).fontSize)");
            Assert.True(legendFont >= 20, $"legend type is {legendFont}px: too small for a projector");
            // All of the demo's classes fit on one screen beside the map: nothing to scroll on a projector.
            Assert.True(await page.GetByTestId("presenter-legend").EvaluateAsync<bool>("e => e.scrollHeight <= e.clientHeight + 1"),
                "the legend needs scrolling at 1400×1000");
            await NothingChangesAnythingAsync(page);
            await page.ScreenshotAsync(new() { Path = Shot("presenter-map") });

            // The replay: last snapshot first, play runs to the end.
            await page.GetByText("Training replay").ClickAsync();
            var caption = page.GetByTestId("replay-epoch");
            await Assertions.Expect(caption).ToContainTextAsync($"Epoch {10 + Snapshots} of {10 + Snapshots}");
            await page.GetByTestId("replay-play").ClickAsync();
            await Assertions.Expect(caption).ToContainTextAsync("Epoch 11 of", new() { Timeout = 10_000 });
            await Assertions.Expect(caption).ToContainTextAsync($"Epoch {10 + Snapshots} of", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("[data-testid=presenter-map] .nsewdrag").First).ToBeVisibleAsync();
            await NothingChangesAnythingAsync(page);
            await page.ScreenshotAsync(new() { Path = Shot("presenter-replay") });

            // The way to the normal read-only page.
            await page.GetByTestId("to-normal-view").ClickAsync();
            await page.WaitForURLAsync(new Regex($"/runs/{runId}$"));
            await Assertions.Expect(page.Locator($"#run-map-{runId} .legend .traces").First).ToBeVisibleAsync();
            Assert.Equal(0, await page.GetByTestId("tag-selection").CountAsync());
            Assert.Equal(0, await page.GetByTestId("tab-share").CountAsync());

            // Forced: the link opens no other run's presenter view.
            await page.GotoAsync($"runs/{runId + 1}/present");
            await Assertions.Expect(page.GetByTestId("run-refused").Or(page.GetByTestId("not-authorized"))).ToBeVisibleAsync();

            // Revoking the link ends a presenter view that is open with it at once.
            await page.GotoAsync($"runs/{runId}/present");
            await Assertions.Expect(page.GetByTestId("circuit-interactive")).ToBeAttachedAsync(new() { Timeout = 90_000 });
            await shares.RevokeAsync(Caller.For(member), link.Id);
            await page.WaitForURLAsync(new Regex("account/denied"), new() { Timeout = 30_000 });
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Shot("presenter-failure"), FullPage = true });
            throw;
        }
    }

    /// <summary>
    /// Every visible button on the page is a view control (mode, full screen, play, and plotly's zoom and download toolbar); none
    /// of the app's changing controls shows.
    /// </summary>
    private static async Task NothingChangesAnythingAsync(IPage page)
    {
        foreach (var button in await page.Locator("button:visible:not(.modebar-btn)").AllAsync())
            Assert.True(await button.GetAttributeAsync("data-view-control") == "true",
                $"a button that is not a view control: {await button.EvaluateAsync<string>("b => b.outerHTML.slice(0, 300)")}");
        foreach (var control in new[] { "cancel-run", "tag-selection", "tab-share", "tab-oos", "delete-run", "sign-out" })
            Assert.Equal(0, await page.GetByTestId(control).CountAsync());
        Assert.Equal(0, await page.Locator("input[type=text], input[type=file], textarea").CountAsync());
    }

    /// <summary>A finished run over demo images (class clusters on a ring) with a few stored snapshots that spread out epoch by epoch.</summary>
    private static int StoreRun(IMedvisStore database, DatasetRecord demo, ImageDataset images)
    {
        var labels = images.Labels.Take(Images).ToArray();
        var classes = images.ClassNames.Count;
        var random = new Random(3);
        float Coordinate(int label, bool cos, double spread) =>
            (float)(spread * (cos ? Math.Cos(2 * Math.PI * label / classes) : Math.Sin(2 * Math.PI * label / classes)) + random.NextDouble());
        var x = labels.Select(l => Coordinate(l, true, 10)).ToArray();
        var y = labels.Select(l => Coordinate(l, false, 10)).ToArray();
        var run = database.Runs.Add(new RunRecord
        {
            Name = "presented run", Status = RunStatus.Done, DatasetId = demo.Id, DatasetSpec = demo.Spec, DatasetName = demo.Name,
            ImageSize = demo.ImageSize, Split = DatasetSplit.Train, TrainingSeconds = 60,
        });
        database.Artifacts.SaveResult(new RunResult(run.Id, x, y, labels, Enumerable.Range(0, labels.Length).ToArray(), images.ClassNames));
        database.Artifacts.SaveMetricsJson(run.Id, MapEvaluator.Evaluate(MapPoints.FromColumns(x, y), labels, images.ClassNames.ToArray()).ToJson());
        var subset = Enumerable.Range(0, 200).ToArray();
        for (var s = 1; s <= Snapshots; s++)
            database.Snapshots.Add(run.Id, new SnapshotPoint
            {
                Stage = s <= 2 ? 2 : 3, Epoch = s - 1, GlobalEpoch = 10 + s, Indices = subset, Labels = subset.Select(i => labels[i]).ToArray(),
                X = subset.Select(i => Coordinate(labels[i], true, 2 * s)).ToArray(), Y = subset.Select(i => Coordinate(labels[i], false, 2 * s)).ToArray(),
            }, 60);
        database.Runs.Update(run.Id, r => r.History.Add(new EpochPoint { Stage = 3, GlobalEpoch = 10 + Snapshots, TotalEpochs = 10 + Snapshots }));
        return run.Id;
    }

    private static string Shot(string name) => HeadlessChromium.Screenshot(name);

    public void Dispose() => _dir.Dispose();
}
