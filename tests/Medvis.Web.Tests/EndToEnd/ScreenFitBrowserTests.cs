using Medvis.Core.Data;
using Medvis.Core.Data.Metadata;
using Medvis.Core.Storage;
using Medvis.Web.Datasets;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Medvis.Web.Tests.EndToEnd;

/// <summary>
/// Everything primary fits a 1400×900 window, in Debian's headless Chromium, measured as bounding boxes: every run tab
/// in view with no scroll arrows, a chart's title clear of Plotly's toolbar while the pointer is on the chart, the
/// colour bar of a number column inside the chart and the window, and four compared maps in view together.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class ScreenFitBrowserTests : IDisposable
{
    private const int Width = 1400;
    private const int Height = 900;
    private const int Images = 400;

    private readonly TempFolder _dir = new();

    [SkippableFact]
    public async Task TabsTitlesColourBarAndFourComparedMapsFitA1400By900Window()
    {
        HeadlessChromium.SkipUnlessInstalled();
        await using var app = new KestrelApp(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:SeedDemoDataset"] = "true" });
        var database = app.Services.GetRequiredService<IMedvisStore>();
        var demo = database.Datasets.FindBySpec(DatasetService.DemoSpec)!;
        var images = app.Services.GetRequiredService<DatasetService>().Load(demo, DatasetSplit.Train);
        var maps = new FinishedMaps(database);
        var runs = Enumerable.Range(0, 4).Select(seed => maps.AddRing($"seed {seed}", demo, images, Images, seed)).ToArray();
        AttachAges(database, demo, images.Count);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await HeadlessChromium.OpenPageAsync(browser, app, Width, Height);
        Assertions.SetDefaultExpectTimeout(60_000);
        await HeadlessChromium.SignInAsAdminAsync(page, app);
        try
        {
            await page.GotoAsync($"runs/{runs[0]}");
            await Assertions.Expect(page.GetByTestId("circuit-interactive")).ToBeAttachedAsync();
            await CheckTabsAsync(page);
            await CheckColourBarAsync(page, runs[0]);
            await CheckTitleAsync(page);
            await CheckFourMapsAsync(page, runs);
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Shot("screen-fit-failure") });
            throw;
        }
    }

    /// <summary>Every tab lies inside the tab bar and the window, and no scroll arrow shows.</summary>
    private static async Task CheckTabsAsync(IPage page)
    {
        var tabs = page.Locator(".mud-tabs-tabbar .mud-tab");
        await Assertions.Expect(tabs.Filter(new() { HasTextString = "Share" })).ToHaveCountAsync(1);
        var container = (await page.Locator(".mud-tabs-tabbar-content").First.BoundingBoxAsync())!;
        foreach (var tab in await tabs.AllAsync())
        {
            var box = (await tab.BoundingBoxAsync())!;
            var name = (await tab.TextContentAsync())!.Trim();
            Assert.True(box.X >= container.X - 1 && box.X + box.Width <= container.X + container.Width + 1 && box.X + box.Width <= Width,
                $"the tab \"{name}\" ({box.X:F0}–{box.X + box.Width:F0} px) lies outside the tab bar ({container.X:F0}–{container.X + container.Width:F0} px)");
        }
        Assert.Equal(0, await page.Locator(".mud-tabs-scroll-button:visible").CountAsync());
    }

    /// <summary>Coloured by a number column: the colour bar lies inside the chart and the window.</summary>
    private static async Task CheckColourBarAsync(IPage page, int runId)
    {
        var map = page.Locator($"#run-map-{runId}");
        await Assertions.Expect(map.Locator(".nsewdrag")).ToHaveCountAsync(1);
        await page.GetByTestId("colour-by").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").GetByText("age", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(map.Locator(".colorbar")).ToHaveCountAsync(1);
        var bar = await SettledBoxAsync(page, map.Locator(".colorbar"));
        var chart = (await map.BoundingBoxAsync())!;
        await page.ScreenshotAsync(new() { Path = Shot("fit-1400x900-colour-bar") });
        Assert.True(bar.Y >= chart.Y && bar.Y + bar.Height <= chart.Y + chart.Height + 1,
            $"the colour bar ({bar.Y:F0}–{bar.Y + bar.Height:F0} px) leaves its chart ({chart.Y:F0}–{chart.Y + chart.Height:F0} px)");
        Assert.True(bar.Y + bar.Height <= Height, $"the colour bar ends at {bar.Y + bar.Height:F0} px, below the {Height}-px window");
        var axis = (await map.Locator(".xaxislayer-above").BoundingBoxAsync())!;
        Assert.True(bar.Y >= axis.Y + axis.Height - 1, $"the colour bar ({bar.Y:F0} px) covers the x axis' labels (to {axis.Y + axis.Height:F0} px)");
    }

    /// <summary>The pointer on a titled chart shows the toolbar: it leaves the title free.</summary>
    private static async Task CheckTitleAsync(IPage page)
    {
        await page.Locator(".mud-tab", new() { HasTextString = "Training" }).ClickAsync();
        var chart = page.Locator("#loss-chart");
        await Assertions.Expect(chart.Locator(".gtitle")).ToHaveCountAsync(1);
        var plot = (await chart.Locator(".nsewdrag").First.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(plot.X + plot.Width / 2, plot.Y + plot.Height / 2);
        await Assertions.Expect(chart.Locator(".modebar")).ToBeVisibleAsync();
        var toolbar = (await chart.Locator(".modebar").BoundingBoxAsync())!;
        var title = (await chart.Locator(".gtitle").BoundingBoxAsync())!;
        await page.ScreenshotAsync(new() { Path = Shot("fit-1400x900-chart-title") });
        Assert.False(Overlap(toolbar, title),
            $"the toolbar ({toolbar.X:F0},{toolbar.Y:F0} {toolbar.Width:F0}×{toolbar.Height:F0}) covers the title ({title.X:F0},{title.Y:F0} {title.Width:F0}×{title.Height:F0})");
    }

    /// <summary>Four compared maps: with their grid's top just under the app bar, every map's plot is in the window.</summary>
    private static async Task CheckFourMapsAsync(IPage page, int[] runs)
    {
        await page.GotoAsync($"compare?runs={string.Join(',', runs)}");
        var grid = page.GetByTestId("compare-maps");
        await Assertions.Expect(grid.Locator(".nsewdrag")).ToHaveCountAsync(4);
        var appBar = (await page.Locator(".mud-appbar").BoundingBoxAsync())!;
        await grid.EvaluateAsync("(e, top) => { e.style.scrollMarginTop = top + 'px'; e.scrollIntoView({ block: 'start', behavior: 'instant' }); }", appBar.Y + appBar.Height);
        await page.ScreenshotAsync(new() { Path = Shot("fit-1400x900-four-maps") });
        var plots = await grid.Locator(".nsewdrag").AllAsync();
        for (var i = 0; i < plots.Count; i++)
        {
            var box = (await plots[i].BoundingBoxAsync())!;
            Assert.True(box.Y >= appBar.Y + appBar.Height - 1 && box.Y + box.Height <= Height && box.X >= 0 && box.X + box.Width <= Width,
                $"map {i + 1} of 4 ({box.X:F0},{box.Y:F0} {box.Width:F0}×{box.Height:F0}) is not in the {Width}×{Height} window");
            Assert.True(box.Width >= 250, $"map {i + 1} of 4 is only {box.Width:F0} px wide");
        }
    }

    /// <summary>The box of <paramref name="element"/> once two looks a few frames apart agree (Plotly may move it while it settles its margins).</summary>
    private static async Task<LocatorBoundingBoxResult> SettledBoxAsync(IPage page, ILocator element)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var box = (await element.BoundingBoxAsync())!;
        while (true)
        {
            await page.EvaluateAsync("() => new Promise(r => setTimeout(r, 250))");
            var again = (await element.BoundingBoxAsync())!;
            if ((Math.Abs(again.Y - box.Y) < 0.5 && Math.Abs(again.X - box.X) < 0.5) || DateTime.UtcNow > deadline) return again;
            box = again;
        }
    }

    private static bool Overlap(LocatorBoundingBoxResult a, LocatorBoundingBoxResult b) =>
        a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height;

    /// <summary>A metadata table for the demo's training split with a number column, "age".</summary>
    private static void AttachAges(IMedvisStore database, DatasetRecord demo, int images)
    {
        var csv = "image_index,age\n" + string.Concat(Enumerable.Range(0, images).Select(i => $"{i},{20 + i % 60}\n"));
        var metadata = MetadataCsv.Parse(System.Text.Encoding.UTF8.GetBytes(csv), "ages.csv", new(images));
        metadata.DatasetId = demo.Id;
        database.Metadata.Save(metadata);
    }

    private static string Shot(string name) => HeadlessChromium.Screenshot(name);

    public void Dispose() => _dir.Dispose();
}
