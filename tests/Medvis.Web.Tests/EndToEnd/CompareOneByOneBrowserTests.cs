using System.Collections.Concurrent;
using Medvis.Core.Data;
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
/// The compare page in Debian's headless Chromium at 1400×900, with runs picked one at a time in its list while a run
/// trains (the load under which maps went blank): no console errors, every map draws all its points, and no map overlaps
/// another or the legend.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class CompareOneByOneBrowserTests : IDisposable
{
    private const int Images = 400;

    private readonly TempFolder _dir = new();

    [SkippableFact]
    public async Task RunsPickedOneByOneWhileARunTrainsDrawEveryMapWithoutConsoleErrors()
    {
        HeadlessChromium.SkipUnlessInstalled();
        await using var app = new KestrelApp(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:SeedDemoDataset"] = "true" });
        var database = app.Services.GetRequiredService<IMedvisStore>();
        var demo = database.Datasets.FindBySpec(DatasetService.DemoSpec)!;
        var images = app.Services.GetRequiredService<DatasetService>().Load(demo, DatasetSplit.Train);
        var maps = new FinishedMaps(database);
        var runs = Enumerable.Range(0, 3).Select(seed => maps.AddRing($"seed {seed}", demo, images, Images, seed)).ToArray();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await HeadlessChromium.OpenPageAsync(browser, app, 1400, 900);
        var errors = new ConcurrentQueue<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Enqueue(message.Text); };
        page.PageError += (_, error) => errors.Enqueue(error);
        Assertions.SetDefaultExpectTimeout(60_000);
        await HeadlessChromium.SignInAsAdminAsync(page, app);

        // A long first stage keeps the worker busy for the whole test; it is cancelled at the end.
        var options = new TrainingOptions { Backbone = "tiny", BatchSize = 64, EpochsPerStage = [200, 1, 1], Device = "cpu", Seed = 3 };
        var training = app.Services.GetRequiredService<RunPlanner>().Queue(Caller.System, new RunRequest(demo.Id, DatasetSplit.Train, options, MaxImages: 320)).Runs[0];
        try
        {
            await page.GotoAsync("compare");
            await Assertions.Expect(page.GetByTestId("circuit-interactive")).ToBeAttachedAsync();
            await page.GetByTestId("compare-select").ClickAsync();
            var items = page.Locator(".mud-popover-open .mud-list-item");
            // As a person picks: one, then a second (two maps start drawing), then at once a third.
            await items.GetByText($"#{runs[0]} seed 0").ClickAsync();
            await Assertions.Expect(page.GetByTestId("compare-message")).ToBeVisibleAsync();
            await items.GetByText($"#{runs[1]} seed 1").ClickAsync();
            await Assertions.Expect(page.GetByTestId("compare-column")).ToHaveCountAsync(2);
            await items.GetByText($"#{runs[2]} seed 2").ClickAsync();
            await Assertions.Expect(page.GetByTestId("compare-column")).ToHaveCountAsync(3);
            await page.Keyboard.PressAsync("Escape");

            var charts = page.Locator("[data-testid=compare-column] [id^=compare-map-]");
            await Assertions.Expect(charts).ToHaveCountAsync(3);
            for (var i = 0; i < 3; i++)
                await WaitForPointsAsync(charts.Nth(i), $"map {i + 1} of 3", errors);
            await page.ScreenshotAsync(new() { Path = Shot("compare-one-by-one") });
            await CheckNoOverlapAsync(page);
            Assert.Equal(RunStatus.Running, database.Runs.Get(training.Id)!.Status);
            Assert.True(errors.IsEmpty, "console errors: " + string.Join(" | ", errors));
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Shot("compare-one-by-one-failure"), FullPage = true });
            throw;
        }
        finally
        {
            app.Services.GetRequiredService<RunPlanner>().Cancel(Caller.System, training.Id);
        }
    }

    /// <summary>Waits (up to a minute) until the chart holds all <see cref="Images"/> points and Plotly has laid it out.</summary>
    private static async Task WaitForPointsAsync(ILocator chart, string name, IEnumerable<string> errors)
    {
        const string drawn = "e => e._fullLayout && e.querySelector('.nsewdrag') ? (e.data || []).reduce((n, t) => n + (t.x ? t.x.length : 0), 0) : -1";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        int points;
        while ((points = await chart.EvaluateAsync<int>(drawn)) != Images)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"{name} shows {points} of {Images} points (-1: not drawn); console errors: {string.Join(" | ", errors)}");
            await chart.Page.WaitForFunctionAsync("() => new Promise(r => setTimeout(() => r(true), 200))");
        }
    }

    /// <summary>Each map's plot lies inside its own column; no two columns overlap; the legend lies below them all.</summary>
    private static async Task CheckNoOverlapAsync(IPage page)
    {
        var columns = await page.GetByTestId("compare-column").AllAsync();
        var boxes = new List<LocatorBoundingBoxResult>();
        foreach (var column in columns)
        {
            var box = (await column.BoundingBoxAsync())!;
            var plot = (await column.Locator(".nsewdrag").First.BoundingBoxAsync())!;
            Assert.True(plot.Width >= 200 && plot.X >= box.X - 1 && plot.X + plot.Width <= box.X + box.Width + 1 && plot.Y + plot.Height <= box.Y + box.Height + 1,
                $"a map's plot ({plot.X:F0},{plot.Y:F0} {plot.Width:F0}×{plot.Height:F0}) leaves its column ({box.X:F0},{box.Y:F0} {box.Width:F0}×{box.Height:F0})");
            boxes.Add(box);
        }
        for (var a = 0; a < boxes.Count; a++)
            for (var b = a + 1; b < boxes.Count; b++)
                Assert.False(Overlap(boxes[a], boxes[b]), $"maps {a + 1} and {b + 1} overlap");
        var legend = (await page.GetByTestId("shared-legend").BoundingBoxAsync())!;
        Assert.True(boxes.All(box => box.Y + box.Height <= legend.Y + 1), "a map reaches into the legend");
    }

    private static bool Overlap(LocatorBoundingBoxResult a, LocatorBoundingBoxResult b) =>
        a.X < b.X + b.Width - 1 && b.X < a.X + a.Width - 1 && a.Y < b.Y + b.Height - 1 && b.Y < a.Y + a.Height - 1;

    private static string Shot(string name) => HeadlessChromium.Screenshot(name);

    public void Dispose() => _dir.Dispose();
}
