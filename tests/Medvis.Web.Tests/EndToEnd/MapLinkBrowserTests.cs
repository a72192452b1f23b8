using System.Globalization;
using Medvis.Core.Data;
using Medvis.Core.Storage;
using Medvis.Web.Auth;
using Medvis.Web.Datasets;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Medvis.Web.Tests.EndToEnd;

/// <summary>
/// Links to a view, in Debian's headless Chromium at 1400×1000: a map's zoom and lasso go into the
/// address, and the copied address opened in a fresh page (and by a share-link visitor) shows the same axis ranges
/// and the same selection; a click on a point keeps the lasso's selection; the large WebGL map and the compare page
/// do the same, with small maps (Plotly) and large ones (WebGL); the training replay keeps one axis range over its frames.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class MapLinkBrowserTests(ITestOutputHelper output) : IDisposable
{
    private const int Images = 600;

    private readonly TempFolder _dir = new();

    [SkippableFact]
    public async Task ZoomAndLassoGoIntoTheAddressAFreshPageShowsTheSameAndAClickKeepsTheLasso()
    {
        HeadlessChromium.SkipUnlessInstalled();
        await using var app = StartApp();
        var (database, demo, images) = Demo(app);
        var runId = StoreMap(database, demo, images, seed: 0, snapshots: 0);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await SignedInPageAsync(browser, app);
        try
        {
            await page.GotoAsync($"runs/{runId}");
            var map = page.Locator($"#run-map-{runId}");
            await WaitForPlotAsync(page, map);

            // Zoom in with the toolbar's button, then lasso the right half of what shows.
            var whole = await RangeAsync(map);
            await ZoomInWithToolbarAsync(page, map);
            var zoomedIn = await RangeAsync(map);
            await LassoAsync(page, map, 0.5f, 0.97f);
            await Assertions.Expect(page.GetByTestId("selection-grid")).ToBeVisibleAsync();
            var count = await SelectionCountAsync(page);
            Assert.True(count > 10, $"the lasso selected {count} points");
            var url = await WaitForAddressAsync(page, "zoom=", "lasso=");
            output.WriteLine($"address after zoom and lasso: {url.Length} characters: {url}");
            Assert.True(url.Length < 2_000, $"the address is {url.Length} characters long");
            // The redraw with the greyed context keeps the zoom (the plot may widen a little as the page's height
            // changes with the selection grid: the axes then keep their scale, so only a span grows).
            var zoomed = await RangeAsync(map);
            Assert.True(zoomed[3] - zoomed[2] < 0.8 * (whole[3] - whole[2]) && zoomed[1] - zoomed[0] < 0.8 * (whole[1] - whole[0]),
                $"the lasso's redraw lost the zoom: {string.Join(", ", zoomed)} (zoomed in: {string.Join(", ", zoomedIn)}, whole map: {string.Join(", ", whole)})");
            Assert.Equal((zoomedIn[0] + zoomedIn[1]) / 2, (zoomed[0] + zoomed[1]) / 2, 3);

            // A click on a selected point shows its neighbours; the lasso's selection and grid stay.
            var (px, py) = await PixelOfSelectedPointAsync(map);
            await page.Mouse.MoveAsync(px, py);
            await Assertions.Expect(page.GetByTestId("hover-point")).ToBeVisibleAsync();
            await page.Mouse.ClickAsync(px, py);
            await Assertions.Expect(page.Locator("[data-testid=neighbours-map] img")).ToHaveCountAsync(15);
            await WaitForTracesAsync(map, names => names.Contains("clicked point") && names.Contains("not selected"));
            Assert.Equal(count, await SelectionCountAsync(page));
            await Assertions.Expect(page.Locator("[data-testid=selection-grid] img").First).ToBeVisibleAsync();
            // The zoom stays too: same centre and scale (the page's scroll bar may come and change the plot's width a little).
            var shown = await RangeAsync(map);
            for (var axis = 0; axis < 4; axis += 2)
            {
                Assert.Equal((zoomed[axis] + zoomed[axis + 1]) / 2, (shown[axis] + shown[axis + 1]) / 2, 3);
                Assert.InRange((shown[axis + 1] - shown[axis]) / (zoomed[axis + 1] - zoomed[axis]), 0.97, 1.03);
            }
            url = await WaitForAddressAsync(page, "zoom=", "lasso=", "point=");
            await page.ScreenshotAsync(new() { Path = Shot("map-link-clicked-in-lasso") });

            // The copied address in a fresh page: same axis range, same selection, same clicked point.
            var fresh = await page.Context.NewPageAsync();
            fresh.SetDefaultTimeout(90_000);
            await fresh.GotoAsync(url);
            var freshMap = fresh.Locator($"#run-map-{runId}");
            await WaitForPlotAsync(fresh, freshMap);
            await Assertions.Expect(fresh.GetByTestId("selection-count")).ToContainTextAsync($"Selection: {count} point(s)");
            await Assertions.Expect(fresh.Locator("[data-testid=neighbours-map] img")).ToHaveCountAsync(15);
            await WaitForTracesAsync(freshMap, names => names.Contains("clicked point") && names.Contains("not selected"));
            AssertSameRange(shown, await RangeAsync(freshMap), "in a fresh page");
            Assert.Equal(1, await freshMap.Locator(".shapelayer path").CountAsync());
            await fresh.ScreenshotAsync(new() { Path = Shot("map-link-fresh-page") });

            // A share-link visitor (no account) opening the same address sees the same.
            var (_, token) = app.Services.GetRequiredService<ShareLinks>().Create(Caller.System, ShareKind.Run, [runId], TimeSpan.FromDays(1));
            var visitor = await HeadlessChromium.OpenPageAsync(browser, app);
            await visitor.GotoAsync($"share/{token}");
            await Assertions.Expect(visitor.GetByTestId("circuit-interactive")).ToBeAttachedAsync();
            await visitor.GotoAsync(url);
            await WaitForPlotAsync(visitor, visitor.Locator($"#run-map-{runId}"));
            await Assertions.Expect(visitor.GetByTestId("selection-count")).ToContainTextAsync($"Selection: {count} point(s)");
            await Assertions.Expect(visitor.Locator("[data-testid=neighbours-map] img")).ToHaveCountAsync(15);
            await WaitForTracesAsync(visitor.Locator($"#run-map-{runId}"), names => names.Contains("clicked point"));
            AssertSameRange(shown, await RangeAsync(visitor.Locator($"#run-map-{runId}")), "for a share-link visitor");
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Shot("map-link-failure"), FullPage = true });
            throw;
        }
    }

    [SkippableFact]
    public async Task TheReplayKeepsItsAxesOnEveryFrame()
    {
        HeadlessChromium.SkipUnlessInstalled();
        await using var app = StartApp();
        var (database, demo, images) = Demo(app);
        var runId = StoreMap(database, demo, images, seed: 0, snapshots: 6);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await SignedInPageAsync(browser, app);
        try
        {
            await page.GotoAsync($"runs/{runId}?tab=training");
            var replay = page.Locator($"#replay-map-{runId}");
            await WaitForPlotAsync(page, replay);
            await Assertions.Expect(page.GetByTestId("replay-epoch")).ToContainTextAsync("Epoch 16");
            var last = await RangeAsync(replay);
            var lastColours = await ColoursAsync(replay);

            // Back to the first frame, whose points span a tenth of the last one's.
            await page.Locator("[data-testid=replay] input[type=range]").FocusAsync();
            await page.Keyboard.PressAsync("Home");
            await Assertions.Expect(page.GetByTestId("replay-epoch")).ToContainTextAsync("Epoch 11");
            await WaitForSpanAsync(replay, span => span < 10);
            var first = await RangeAsync(replay);
            output.WriteLine($"axis ranges, first frame: {string.Join(", ", first)}; last frame: {string.Join(", ", last)}");
            Assert.Equal(last, first);
            Assert.Equal(lastColours, await ColoursAsync(replay));
            await page.ScreenshotAsync(new() { Path = Shot("replay-first-frame") });

            // The toolbar's autoscale (to this frame's points) goes back to the steady axes.
            var plot = (await replay.Locator(".nsewdrag").BoundingBoxAsync())!;
            await page.Mouse.MoveAsync(plot.X + plot.Width / 2, plot.Y + plot.Height / 2);
            await replay.Locator(".modebar-btn[data-val=auto]").ClickAsync();
            await Task.Delay(1_000);
            await WaitForRangeAsync(replay, last);
            AssertSameRange(last, await RangeAsync(replay), "after autoscale on the replay");
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Shot("replay-failure"), FullPage = true });
            throw;
        }
    }

    [SkippableFact]
    public async Task TheLargeMapsZoomAndLassoGoIntoTheAddressAndAFreshPageShowsTheSame()
    {
        HeadlessChromium.SkipUnlessInstalled();
        await using var app = StartApp(("Medvis:LargeMapPoints", "100"));
        var (database, demo, images) = Demo(app);
        var runId = StoreMap(database, demo, images, seed: 0, snapshots: 0);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await SignedInPageAsync(browser, app);
        try
        {
            await page.GotoAsync($"runs/{runId}");
            var map = page.GetByTestId("large-map");
            await Assertions.Expect(map).ToHaveAttributeAsync("data-drawn", "1");
            await Assertions.Expect(page.GetByTestId("circuit-interactive")).ToBeAttachedAsync();
            var surface = page.GetByTestId("large-map-surface");
            var box = (await surface.BoundingBoxAsync())!;
            var whole = await LargeRangeAsync(map);

            // Wheel in about the middle, then lasso the right half of the view.
            await page.Mouse.MoveAsync(box.X + box.Width * 0.55f, box.Y + box.Height * 0.5f);
            for (var i = 0; i < 3; i++) await page.Mouse.WheelAsync(0, -120);
            await WaitForAddressAsync(page, "zoom=");
            var zoomed = await LargeRangeAsync(map);
            Assert.True(zoomed[1] - zoomed[0] < 0.8 * (whole[1] - whole[0]), "the wheel did not zoom in");
            await page.Mouse.MoveAsync(box.X + box.Width * 0.5f, box.Y + box.Height * 0.05f);
            await page.Mouse.DownAsync();
            foreach (var (fx, fy) in new[] { (0.97f, 0.05f), (0.97f, 0.95f), (0.5f, 0.95f), (0.5f, 0.06f) })
                await page.Mouse.MoveAsync(box.X + box.Width * fx, box.Y + box.Height * fy, new() { Steps = 6 });
            await page.Mouse.UpAsync();
            await Assertions.Expect(page.GetByTestId("selection-grid")).ToBeVisibleAsync();
            var count = await SelectionCountAsync(page);
            Assert.True(count > 10, $"the lasso selected {count} points");
            var url = await WaitForAddressAsync(page, "zoom=", "lasso=");
            output.WriteLine($"large map address: {url}");

            var fresh = await page.Context.NewPageAsync();
            fresh.SetDefaultTimeout(90_000);
            await fresh.GotoAsync(url);
            var freshMap = fresh.GetByTestId("large-map");
            await Assertions.Expect(freshMap).ToHaveAttributeAsync("data-drawn", "1");
            await Assertions.Expect(fresh.GetByTestId("selection-count")).ToContainTextAsync($"Selection: {count} point(s)");
            AssertSameRange(zoomed, await LargeRangeAsync(freshMap), "large map in a fresh page");
            // The greyed context is drawn: the view holds the lasso and marks its points.
            Assert.Equal(count, await freshMap.EvaluateAsync<int>("e => e.medvisMap.selected ? e.medvisMap.selected.reduce((a, b) => a + b, 0) : -1"));
            await fresh.ScreenshotAsync(new() { Path = Shot("large-map-link-fresh-page") });
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Shot("large-map-link-failure"), FullPage = true });
            throw;
        }
    }

    [SkippableFact]
    public async Task TheComparePagesZoomAndLassoAreOneStateInTheAddressForAllItsMaps()
    {
        HeadlessChromium.SkipUnlessInstalled();
        await using var app = StartApp();
        var (database, demo, images) = Demo(app);
        var runs = Enumerable.Range(0, 3).Select(seed => StoreMap(database, demo, images, seed, snapshots: 0)).ToArray();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await SignedInPageAsync(browser, app);
        try
        {
            await page.GotoAsync($"compare?runs={string.Join(',', runs)}");
            await Assertions.Expect(page.Locator(".medvis-compare-maps .nsewdrag")).ToHaveCountAsync(3);
            await Assertions.Expect(page.GetByTestId("circuit-interactive")).ToBeAttachedAsync();
            var maps = Enumerable.Range(0, 3).Select(i => page.Locator($"[id^=compare-map-{i}-]")).ToArray();

            // Zooming one map zooms all of them (they are aligned).
            await ZoomInWithToolbarAsync(page, maps[0]);
            var zoomed = await RangeAsync(maps[0]);
            foreach (var other in maps.Skip(1)) await WaitForRangeAsync(other, zoomed);
            await LassoAsync(page, maps[1], 0.5f, 0.995f, 0.005f, 0.995f);
            await Assertions.Expect(page.Locator("[data-testid=selection-grid] img").First).ToBeVisibleAsync();
            var count = await SelectionCountAsync(page);
            var url = await WaitForAddressAsync(page, "zoom=", "lasso=", "lassoin=1");
            output.WriteLine($"compare address: {url}");

            var fresh = await page.Context.NewPageAsync();
            fresh.SetDefaultTimeout(90_000);
            await fresh.GotoAsync(url);
            await Assertions.Expect(fresh.Locator(".medvis-compare-maps .nsewdrag")).ToHaveCountAsync(3);
            await Assertions.Expect(fresh.GetByTestId("selection-count")).ToContainTextAsync($"Selection: {count} image(s)");
            for (var i = 0; i < 3; i++)
            {
                var freshMap = fresh.Locator($"[id^=compare-map-{i}-]");
                await WaitForTracesAsync(freshMap, names => names.Contains("not selected"));
                AssertSameRange(zoomed, await RangeAsync(freshMap), $"compare map {i + 1} in a fresh page");
            }
            Assert.Equal(1, await fresh.Locator("[id^=compare-map-1-] .shapelayer path").CountAsync());
            await fresh.ScreenshotAsync(new() { Path = Shot("compare-link-fresh-page"), FullPage = true });
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Shot("compare-link-failure"), FullPage = true });
            throw;
        }
    }

    [SkippableFact]
    public async Task TheLargeComparePagesZoomLassoAndPickedImageGoIntoTheAddressAndAFreshPageShowsTheSame()
    {
        HeadlessChromium.SkipUnlessInstalled();
        await using var app = StartApp(("Medvis:LargeMapPoints", "100"));
        var (database, demo, images) = Demo(app);
        var runs = Enumerable.Range(0, 3).Select(seed => StoreMap(database, demo, images, seed, snapshots: 0)).ToArray();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright, LargeMapBrowserTests.ChromiumArgs);
        var page = await SignedInPageAsync(browser, app);
        try
        {
            await page.GotoAsync($"compare?runs={string.Join(',', runs)}");
            var maps = await LargeCompareMapsAsync(page);
            var whole = await LargeRangeAsync(maps[0]);

            // Wheel in the first map: every map follows (they are aligned).
            var first = (await page.GetByTestId("large-map-surface").Nth(0).BoundingBoxAsync())!;
            await page.Mouse.MoveAsync(first.X + first.Width * 0.55f, first.Y + first.Height * 0.5f);
            for (var i = 0; i < 3; i++) await page.Mouse.WheelAsync(0, -120);
            await WaitForAddressAsync(page, "zoom=");
            var zoomed = await WaitForAlignedLargeRangesAsync(maps);
            Assert.True(zoomed[1] - zoomed[0] < 0.8 * (whole[1] - whole[0]), "the wheel did not zoom in");

            // A lasso around the right half of the second map's view.
            var second = (await page.GetByTestId("large-map-surface").Nth(1).BoundingBoxAsync())!;
            await page.Mouse.MoveAsync(second.X + second.Width * 0.5f, second.Y + second.Height * 0.05f);
            await page.Mouse.DownAsync();
            foreach (var (fx, fy) in new[] { (0.97f, 0.05f), (0.97f, 0.95f), (0.5f, 0.95f), (0.5f, 0.06f) })
                await page.Mouse.MoveAsync(second.X + second.Width * fx, second.Y + second.Height * fy, new() { Steps = 6 });
            await page.Mouse.UpAsync();
            await Assertions.Expect(page.Locator("[data-testid=selection-grid] img").First).ToBeVisibleAsync();
            var count = await SelectionCountAsync(page);
            Assert.True(count > 10, $"the lasso selected {count} images");
            var url = await WaitForAddressAsync(page, "zoom=", "lasso=", "lassoin=1");
            output.WriteLine($"large compare address: {url}");
            await AssertLargeSelectionAsync(maps, count, lassoIn: 1, "after the lasso");

            // The copied address in a fresh page: the same range in every map, the same images selected and greyed.
            var fresh = await page.Context.NewPageAsync();
            fresh.SetDefaultTimeout(90_000);
            await fresh.GotoAsync(url);
            var freshMaps = await LargeCompareMapsAsync(fresh);
            await Assertions.Expect(fresh.GetByTestId("selection-count")).ToContainTextAsync($"Selection: {count} image(s)");
            await Assertions.Expect(fresh.Locator("[data-testid=selection-grid] img").First).ToBeVisibleAsync();
            for (var i = 0; i < 3; i++)
                await WaitForLargeRangeAsync(freshMaps[i], zoomed, $"large compare map {i + 1} in a fresh page");
            await AssertLargeSelectionAsync(freshMaps, count, lassoIn: 1, "in a fresh page");
            await fresh.ScreenshotAsync(new() { Path = Shot("large-compare-link-fresh-page"), FullPage = true });

            // An image picked from the moved-most list ends the lasso; its link selects that image alone.
            await Assertions.Expect(page.GetByTestId("moved-image").First).ToBeVisibleAsync();
            await page.GetByTestId("moved-image").First.ClickAsync();
            await Assertions.Expect(page.GetByTestId("selection-count")).ToContainTextAsync("Selection: 1 image(s)");
            var picked = await (await page.WaitForFunctionAsync(
                "() => location.search.includes('point=') && !location.search.includes('lasso=') ? location.href : null")).JsonValueAsync<string>();
            await AssertLargeSelectionAsync(maps, 1, lassoIn: -1, "after picking an image");
            var pickedPage = await page.Context.NewPageAsync();
            pickedPage.SetDefaultTimeout(90_000);
            await pickedPage.GotoAsync(picked);
            var pickedMaps = await LargeCompareMapsAsync(pickedPage);
            await Assertions.Expect(pickedPage.GetByTestId("selection-count")).ToContainTextAsync("Selection: 1 image(s)");
            await AssertLargeSelectionAsync(pickedMaps, 1, lassoIn: -1, "a picked image's link");
            await WaitForLargeRangeAsync(pickedMaps[2], zoomed, "a picked image's link");
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Shot("large-compare-link-failure"), FullPage = true });
            throw;
        }
    }

    /// <summary>The large compare page's three WebGL maps once drawn and the page is live.</summary>
    private static async Task<ILocator[]> LargeCompareMapsAsync(IPage page)
    {
        var maps = page.GetByTestId("large-map");
        await Assertions.Expect(maps).ToHaveCountAsync(3);
        for (var i = 0; i < 3; i++) await Assertions.Expect(maps.Nth(i)).ToHaveAttributeAsync("data-drawn", "1");
        await Assertions.Expect(page.GetByTestId("circuit-interactive")).ToBeAttachedAsync();
        return Enumerable.Range(0, 3).Select(maps.Nth).ToArray();
    }

    /// <summary>The first map's range once every map shows it (the wheel's last step may still be on its way).</summary>
    private static async Task<double[]> WaitForAlignedLargeRangesAsync(ILocator[] maps)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var ranges = new List<double[]>();
            foreach (var map in maps) ranges.Add(await LargeRangeAsync(map));
            var (sx, sy) = (ranges[0][1] - ranges[0][0], ranges[0][3] - ranges[0][2]);
            if (ranges.Skip(1).All(r => Enumerable.Range(0, 4).All(i => Math.Abs(r[i] - ranges[0][i]) <= (i < 2 ? sx : sy) * 1e-3))) return ranges[0];
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the maps' ranges differ: {string.Join(" | ", ranges.Select(r => string.Join(", ", r)))}");
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until a WebGL map shows <paramref name="expected"/> (the view takes a link's range just after it first draws).</summary>
    private static async Task WaitForLargeRangeAsync(ILocator map, double[] expected, string where)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var (sx, sy) = (expected[1] - expected[0], expected[3] - expected[2]);
        while (true)
        {
            var range = await LargeRangeAsync(map);
            if (Enumerable.Range(0, 4).All(i => Math.Abs(expected[i] - range[i]) <= (i < 2 ? sx : sy) * 1e-3)) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{where}: range {string.Join(", ", range)} differs from {string.Join(", ", expected)}");
            await Task.Delay(200);
        }
    }

    /// <summary>Every map marks <paramref name="count"/> points (the rest grey); only map <paramref name="lassoIn"/> (-1: none) draws the lasso.</summary>
    private static async Task AssertLargeSelectionAsync(ILocator[] maps, int count, int lassoIn, string where)
    {
        for (var i = 0; i < maps.Length; i++)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                var marked = await maps[i].EvaluateAsync<int>("e => e.medvisMap.selected ? e.medvisMap.selected.reduce((a, b) => a + b, 0) : -1");
                var hasLasso = await maps[i].EvaluateAsync<bool>("e => e.medvisMap.lasso !== null");
                if (marked == count && hasLasso == (i == lassoIn)) break;
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"{where}: map {i + 1} marks {marked} points (expected {count}) and {(hasLasso ? "draws" : "does not draw")} a lasso");
                await Task.Delay(200);
            }
        }
    }

    private KestrelApp StartApp(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["Medvis:SeedDemoDataset"] = "true" };
        foreach (var (key, value) in settings) all[key] = value;
        return new KestrelApp(_dir.File("medvis.db"), all);
    }

    private static (IMedvisStore Database, DatasetRecord Demo, ImageDataset Images) Demo(KestrelApp app)
    {
        var database = app.Services.GetRequiredService<IMedvisStore>();
        var demo = database.Datasets.FindBySpec(DatasetService.DemoSpec)!;
        return (database, demo, app.Services.GetRequiredService<DatasetService>().Load(demo, DatasetSplit.Train));
    }

    /// <summary>A signed-in admin's page; a second page opened from its context shares its cookies.</summary>
    private static async Task<IPage> SignedInPageAsync(IBrowser browser, KestrelApp app)
    {
        var page = await HeadlessChromium.OpenPageAsync(browser, app);
        Assertions.SetDefaultExpectTimeout(30_000);
        await HeadlessChromium.SignInAsAdminAsync(page, app);
        return page;
    }

    private static async Task WaitForPlotAsync(IPage page, ILocator map)
    {
        await Assertions.Expect(map.Locator(".nsewdrag")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("circuit-interactive")).ToBeAttachedAsync();
    }

    private static async Task ZoomInWithToolbarAsync(IPage page, ILocator map)
    {
        await map.ScrollIntoViewIfNeededAsync();
        var plot = (await map.Locator(".nsewdrag").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(plot.X + plot.Width / 2, plot.Y + plot.Height / 2);
        var before = await RangeAsync(map);
        await map.Locator(".modebar-btn[data-val=in]").ClickAsync();
        // Plotly animates the zoom; wait until the range stops at its new value.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var now = await RangeAsync(map);
            if (now[1] - now[0] < 0.8 * (before[1] - before[0]))
            {
                await Task.Delay(500);
                if ((await RangeAsync(map)).SequenceEqual(now)) return;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no zoom: {string.Join(", ", now)}");
            await Task.Delay(100);
        }
    }

    /// <summary>A lasso around a band of the plot, from <paramref name="from"/> to <paramref name="to"/> of its width.</summary>
    private static async Task LassoAsync(IPage page, ILocator map, float from, float to, float top = 0.03f, float bottom = 0.97f)
    {
        await map.ScrollIntoViewIfNeededAsync();
        var plot = (await map.Locator(".nsewdrag").BoundingBoxAsync())!;
        var (left, right, upper, lower) = (plot.X + plot.Width * from, plot.X + plot.Width * to, plot.Y + plot.Height * top, plot.Y + plot.Height * bottom);
        // Pressed at the bottom: the toolbar shows over the plot's top right while the pointer is over it.
        await page.Mouse.MoveAsync(left, lower);
        await page.Mouse.DownAsync();
        foreach (var (x, y) in new[] { (left, upper), (right, upper), (right, lower), (left + 1, lower) })
            await page.Mouse.MoveAsync(x, y, new() { Steps = 8 });
        await page.Mouse.UpAsync();
    }

    private static async Task<int> SelectionCountAsync(IPage page)
    {
        var text = await page.GetByTestId("selection-count").TextContentAsync();
        return int.Parse(text!.Split(':')[1].Trim().Split(' ')[0], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }

    /// <summary>The page's address once it holds every part (the state is written as the circuit answers).</summary>
    private static async Task<string> WaitForAddressAsync(IPage page, params string[] parts)
    {
        var handle = await page.WaitForFunctionAsync("parts => parts.every(p => location.search.includes(p)) ? location.href : null", parts);
        return await handle.JsonValueAsync<string>();
    }

    private static Task<double[]> RangeAsync(ILocator map) =>
        map.EvaluateAsync<double[]>("e => [...e._fullLayout.xaxis.range, ...e._fullLayout.yaxis.range]");

    private static Task<double[]> LargeRangeAsync(ILocator map) => map.EvaluateAsync<double[]>("e => e.medvisMap.range()");

    private static Task<string[]> ColoursAsync(ILocator map) =>
        map.EvaluateAsync<string[]>("e => e.data.map(t => t.name + ' ' + t.marker.color)");

    /// <summary>Equal to a thousandth of the span: the address carries the ranges rounded far below a pixel.</summary>
    private static void AssertSameRange(double[] expected, double[] actual, string where)
    {
        var (sx, sy) = (expected[1] - expected[0], expected[3] - expected[2]);
        for (var i = 0; i < 4; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= (i < 2 ? sx : sy) * 1e-3,
                $"{where}: range {string.Join(", ", actual)} differs from {string.Join(", ", expected)}");
    }

    private static async Task WaitForRangeAsync(ILocator map, double[] expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var range = await RangeAsync(map);
            var (sx, sy) = (expected[1] - expected[0], expected[3] - expected[2]);
            if (Enumerable.Range(0, 4).All(i => Math.Abs(expected[i] - range[i]) <= (i < 2 ? sx : sy) * 1e-3)) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"range {string.Join(", ", range)}, expected {string.Join(", ", expected)}");
            await Task.Delay(200);
        }
    }

    private static async Task WaitForSpanAsync(ILocator map, Func<double, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var span = await map.EvaluateAsync<double>("e => { const xs = e.data.flatMap(t => [...t.x]); return Math.max(...xs) - Math.min(...xs); }");
            if (condition(span)) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the replay's points span {span}");
            await Task.Delay(200);
        }
    }

    private static async Task WaitForTracesAsync(ILocator map, Func<string[], bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var names = await map.EvaluateAsync<string[]>("e => (e.data || []).map(t => t.name)");
            if (condition(names)) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"map traces: {string.Join(", ", names)}");
            await Task.Delay(200);
        }
    }

    /// <summary>The page position of a point drawn in colour (selected) and inside the plot, from Plotly's own axes.</summary>
    private static async Task<(float X, float Y)> PixelOfSelectedPointAsync(ILocator map)
    {
        var xy = await map.EvaluateAsync<float[]>("""
            e => {
                const layout = e._fullLayout, box = e.getBoundingClientRect(), size = layout._size;
                for (const trace of e.data.filter(t => t.name !== 'not selected' && t.name !== 'filtered out')) {
                    for (let i = 0; i < trace.x.length; i++) {
                        const px = layout.xaxis.l2p(trace.x[i]), py = layout.yaxis.l2p(trace.y[i]);
                        if (px > 20 && px < size.w - 20 && py > 20 && py < size.h - 20) return [box.left + size.l + px, box.top + size.t + py];
                    }
                }
                return null;
            }
            """);
        return (xy[0], xy[1]);
    }

    /// <summary>
    /// A finished run over the first <see cref="Images"/> demo images, classes in clusters on a ring (turned and
    /// scaled per seed), with <paramref name="snapshots"/> replay frames that grow tenfold from the first to the last.
    /// </summary>
    private static int StoreMap(IMedvisStore database, DatasetRecord demo, ImageDataset images, int seed, int snapshots)
    {
        var random = new Random(seed + 1);
        var labels = images.Labels.Take(Images).ToArray();
        var classes = images.ClassNames.Count;
        var (angle, scale) = (seed * 1.3, 1 + seed * 0.7);
        var x = new float[labels.Length];
        var y = new float[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            var (px, py) = (10 * Math.Cos(2 * Math.PI * labels[i] / classes) + 3 * random.NextDouble(), 10 * Math.Sin(2 * Math.PI * labels[i] / classes) + 3 * random.NextDouble());
            x[i] = (float)(scale * (Math.Cos(angle) * px - Math.Sin(angle) * py));
            y[i] = (float)(scale * (Math.Sin(angle) * px + Math.Cos(angle) * py));
        }
        var run = database.Runs.Add(new RunRecord
        {
            Name = $"seed {seed}", Status = RunStatus.Done, DatasetId = demo.Id, DatasetSpec = demo.Spec, DatasetName = demo.Name,
            ImageSize = demo.ImageSize, Split = DatasetSplit.Train, TrainingSeconds = 60,
        });
        database.Artifacts.SaveResult(new RunResult(run.Id, x, y, labels, Enumerable.Range(0, labels.Length).ToArray(), images.ClassNames));
        for (var s = 0; s < snapshots; s++)
        {
            var grow = (float)(0.1 + 0.9 * s / Math.Max(1, snapshots - 1));
            database.Snapshots.Add(run.Id, new SnapshotPoint
            {
                Stage = s < 2 ? 2 : 3, Epoch = s, GlobalEpoch = 11 + s, Indices = Enumerable.Range(0, 200).ToArray(), Labels = labels.Take(200).ToArray(),
                X = x.Take(200).Select(v => v * grow).ToArray(), Y = y.Take(200).Select(v => v * grow).ToArray(),
            }, 60);
        }
        return run.Id;
    }

    private static string Shot(string name) => HeadlessChromium.Screenshot(name);

    public void Dispose() => _dir.Dispose();
}
