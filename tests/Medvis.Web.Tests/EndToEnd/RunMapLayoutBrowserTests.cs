using Medvis.Core.Data;
using Medvis.Core.Storage;
using Medvis.Web.Auth;
using Medvis.Web.Datasets;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Medvis.Web.Tests.EndToEnd;

/// <summary>
/// The run map's layout, in Debian's headless Chromium: a run's map fills the window's height (taller at 1400×1000 than at
/// 1024×768) and fits on a 1024×768 screen without scrolling; its legend markers are large enough to see and the
/// plot's toolbar does not cover the legend.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class RunMapLayoutBrowserTests : IDisposable
{

    private readonly TempFolder _dir = new();

    [SkippableFact]
    public async Task TheMapFillsTheWindowFitsA1024By768ScreenAndItsLegendIsReadableAndClearOfTheToolbar()
    {
        HeadlessChromium.SkipUnlessInstalled();
        await using var app = new KestrelApp(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:SeedDemoDataset"] = "true" });
        var database = app.Services.GetRequiredService<IMedvisStore>();
        var demo = database.Datasets.FindBySpec(DatasetService.DemoSpec)!;
        var images = app.Services.GetRequiredService<DatasetService>().Load(demo, DatasetSplit.Train);
        var runId = StoreMap(database, demo, images);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await HeadlessChromium.OpenPageAsync(browser, app, 1024, 768);
        Assertions.SetDefaultExpectTimeout(30_000);
        await HeadlessChromium.SignInAsAdminAsync(page, app);
        try
        {
            var small = await MeasureAsync(page, runId, "1024x768");
            Assert.True(small.Plot.Y + small.Plot.Height <= 768, $"at 1024×768 the plot ends at {small.Plot.Y + small.Plot.Height:F0} px, below the screen");
            Assert.True(small.Plot.Height >= 300, $"at 1024×768 the plot is {small.Plot.Height:F0} px tall");

            await page.SetViewportSizeAsync(1400, 1000);
            var large = await MeasureAsync(page, runId, "1400x1000");
            Assert.True(large.Plot.Height >= small.Plot.Height + 150, $"the plot does not grow with the window: {small.Plot.Height:F0} → {large.Plot.Height:F0} px");
            Assert.True(large.Plot.Y + large.Plot.Height <= 1000, "at 1400×1000 the plot ends below the screen");
            // The old chart was 640 px tall whatever the window: a plot area of 600 px inside its margins.
            Assert.True(large.Plot.Height > 600, $"at 1400×1000 the plot area is {large.Plot.Height:F0} px tall, no more than the old fixed chart's 600");

            // The run list offers members the import of a map computed elsewhere.
            await page.GotoAsync("runs");
            await Assertions.Expect(page.GetByTestId("map-import")).ToBeVisibleAsync();
            await page.ScreenshotAsync(new() { Path = Shot("runs-import-panel") });
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Shot("run-map-layout-failure"), FullPage = true });
            throw;
        }
    }

    private sealed record Layout(LocatorBoundingBoxResult Plot);

    private async Task<Layout> MeasureAsync(IPage page, int runId, string name)
    {
        await page.GotoAsync($"runs/{runId}");
        var chart = page.Locator($"#run-map-{runId}");
        await Assertions.Expect(chart.Locator(".nsewdrag")).ToHaveCountAsync(1);
        await Assertions.Expect(chart.Locator(".legend .traces").First).ToBeVisibleAsync();
        var plot = (await chart.Locator(".nsewdrag").BoundingBoxAsync())!;
        // The toolbar shows while the pointer is over the plot.
        await page.Mouse.MoveAsync(plot.X + plot.Width / 2, plot.Y + plot.Height / 2);
        var toolbar = (await chart.Locator(".modebar").BoundingBoxAsync())!;
        var legend = (await chart.Locator(".legend").BoundingBoxAsync())!;
        Assert.False(toolbar.X < legend.X + legend.Width && legend.X < toolbar.X + toolbar.Width
                     && toolbar.Y < legend.Y + legend.Height && legend.Y < toolbar.Y + toolbar.Height,
            $"{name}: the toolbar ({toolbar.X:F0},{toolbar.Y:F0} {toolbar.Width:F0}×{toolbar.Height:F0}) covers the legend ({legend.X:F0},{legend.Y:F0})");
        foreach (var marker in await chart.Locator(".legend .legendpoints path").AllAsync())
        {
            var box = (await marker.BoundingBoxAsync())!;
            Assert.True(box.Width >= 8 && box.Height >= 8, $"{name}: a legend marker is {box.Width:F0}×{box.Height:F0} px");
        }
        await page.ScreenshotAsync(new() { Path = Shot($"run-map-{name}") });
        return new Layout(plot);
    }

    /// <summary>A finished run over 2,000 demo images (so its markers are drawn small), classes in clusters on a ring.</summary>
    private static int StoreMap(IMedvisStore database, DatasetRecord demo, ImageDataset images)
    {
        var random = new Random(3);
        var count = Math.Min(2_000, images.Count);
        var labels = images.Labels.Take(count).ToArray();
        var x = labels.Select(l => (float)(10 * Math.Cos(2 * Math.PI * l / images.ClassNames.Count) + random.NextDouble() * 3)).ToArray();
        var y = labels.Select(l => (float)(10 * Math.Sin(2 * Math.PI * l / images.ClassNames.Count) + random.NextDouble() * 3)).ToArray();
        var run = database.Runs.Add(new RunRecord
        {
            Name = "layout", Status = RunStatus.Done, DatasetId = demo.Id, DatasetSpec = demo.Spec, DatasetName = demo.Name,
            ImageSize = demo.ImageSize, Split = DatasetSplit.Train, TrainingSeconds = 60,
        });
        database.Artifacts.SaveResult(new RunResult(run.Id, x, y, labels, Enumerable.Range(0, count).ToArray(), images.ClassNames));
        return run.Id;
    }

    private static string Shot(string name) => HeadlessChromium.Screenshot(name);

    public void Dispose() => _dir.Dispose();
}
