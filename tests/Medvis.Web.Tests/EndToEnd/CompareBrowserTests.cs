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
/// The compare page in Debian's headless Chromium at 1400×1000 over 3 and 4 stored maps of the demo's images:
/// every map square, at least 300 px wide and inside its column, one legend naming every class, every class label
/// on the per-class chart, and a lasso in one map lighting up the same images in all of them. Screenshots land in
/// TestResults/screenshots.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class CompareBrowserTests : IDisposable
{
    private const int Images = 600;

    private readonly TempFolder _dir = new();

    [SkippableFact]
    public async Task ThreeAndFourAlignedMapsStaySquareInsideTheirColumnsWithOneLegendAndLinkedLasso()
    {
        HeadlessChromium.SkipUnlessInstalled();
        await using var app = new KestrelApp(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:SeedDemoDataset"] = "true" });
        var database = app.Services.GetRequiredService<IMedvisStore>();
        var demo = database.Datasets.FindBySpec(DatasetService.DemoSpec)!;
        var images = app.Services.GetRequiredService<DatasetService>().Load(demo, DatasetSplit.Train);
        var runs = Enumerable.Range(0, 4).Select(r => StoreMap(database, demo, images, r)).ToArray();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await HeadlessChromium.OpenPageAsync(browser, app);
        Assertions.SetDefaultExpectTimeout(30_000);
        await HeadlessChromium.SignInAsAdminAsync(page, app);

        try
        {
            foreach (var count in new[] { 3, 4 })
            {
                await page.GotoAsync($"compare?runs={string.Join(',', runs.Take(count))}");
                await CheckLayoutAsync(page, count, demo.ClassNames);
                await page.ScreenshotAsync(new() { Path = Shot($"compare-{count}-maps") });
                await page.ScreenshotAsync(new() { Path = Shot($"compare-{count}-page"), FullPage = true });
            }
            await LassoAsync(page, page.Locator("[id^=compare-map-1-]"));
            await Assertions.Expect(page.Locator("[data-testid=selection-grid] img").First).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("cohesion")).ToHaveCountAsync(4);
            // Every map now draws the unselected images as a grey context trace behind the selection.
            foreach (var map in await page.Locator(".medvis-compare-maps .js-plotly-plot").AllAsync())
                Assert.Contains("not selected", await map.EvaluateAsync<string>("e => e.data.map(t => t.name).join('|')"));
            await page.ScreenshotAsync(new() { Path = Shot("compare-4-lasso"), FullPage = true });
            await page.Locator("[id^=compare-class-bars-]").ScreenshotAsync(new() { Path = Shot("compare-4-class-bars") });
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Shot("compare-failure"), FullPage = true });
            throw;
        }
    }

    private static async Task CheckLayoutAsync(IPage page, int count, IReadOnlyList<string> classNames)
    {
        var columns = page.GetByTestId("compare-column");
        await Assertions.Expect(columns).ToHaveCountAsync(count);
        await Assertions.Expect(page.Locator(".medvis-compare-maps .nsewdrag")).ToHaveCountAsync(count);
        var boxes = new List<LocatorBoundingBoxResult>();
        for (var i = 0; i < count; i++)
        {
            var column = (await columns.Nth(i).BoundingBoxAsync())!;
            var plot = (await columns.Nth(i).Locator(".nsewdrag").First.BoundingBoxAsync())!;
            // 280: each map keeps a 30-px strip above its points for Plotly's toolbar, and as much across to stay square.
            Assert.True(plot.Width >= 280, $"map {i + 1} of {count}: plot area {plot.Width:F0} px wide");
            Assert.True(Math.Abs(plot.Width - plot.Height) <= 4, $"map {i + 1} of {count}: plot area {plot.Width:F0}×{plot.Height:F0} is not square");
            Assert.True(plot.X >= column.X && plot.X + plot.Width <= column.X + column.Width + 1, $"map {i + 1} of {count} leaves its column");
            boxes.Add(column);
        }
        foreach (var a in boxes)
            foreach (var b in boxes.Where(b => b != a))
                Assert.False(a.X < b.X + b.Width - 1 && b.X < a.X + a.Width - 1 && a.Y < b.Y + b.Height - 1 && b.Y < a.Y + a.Height - 1, "two map columns overlap");
        Assert.Equal(0, await page.Locator(".medvis-compare-maps .legend").CountAsync());
        Assert.Equal(classNames, await page.GetByTestId("legend-class").AllTextContentsAsync());
        var ticks = page.Locator("[id^=compare-class-bars-] .yaxislayer-above .ytick text");
        await Assertions.Expect(ticks).ToHaveCountAsync(classNames.Count);
        Assert.Equal(classNames.Order(), (await ticks.AllTextContentsAsync()).Order());
        var bars = (await page.Locator("[id^=compare-class-bars-]").BoundingBoxAsync())!;
        var firstTick = (await ticks.First.BoundingBoxAsync())!;
        Assert.True(firstTick.X >= bars.X, "the per-class chart's labels are clipped on the left");
    }

    private static async Task LassoAsync(IPage page, ILocator map)
    {
        // The right half of the map: the demo's clusters sit on a ring, so a lasso in the middle would catch nothing.
        await map.ScrollIntoViewIfNeededAsync();
        var plot = (await map.Locator(".nsewdrag").First.BoundingBoxAsync())!;
        var (left, right, top, bottom) = (plot.X + plot.Width * 0.5f, plot.X + plot.Width * 0.98f, plot.Y + plot.Height * 0.02f, plot.Y + plot.Height * 0.98f);
        await page.Mouse.MoveAsync(left, top);
        await page.Mouse.DownAsync();
        foreach (var (x, y) in new[] { (right, top), (right, bottom), (left, bottom), (left, top) })
            await page.Mouse.MoveAsync(x, y, new() { Steps = 8 });
        await page.Mouse.UpAsync();
    }

    /// <summary>
    /// A finished run over the first <see cref="Images"/> demo images: classes in clusters on a ring, turned, mirrored
    /// and scaled per run as training seeds do, with 5% of the images placed in another class's cluster.
    /// </summary>
    private static int StoreMap(IMedvisStore database, DatasetRecord demo, ImageDataset images, int seed)
    {
        var random = new Random(seed + 1);
        var labels = images.Labels.Take(Images).ToArray();
        var classes = images.ClassNames.Count;
        var (angle, mirror, scale) = (seed * 1.3, seed % 2 == 1 ? -1 : 1, 1 + seed * 0.7);
        var x = new float[labels.Length];
        var y = new float[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            var cluster = random.NextDouble() < 0.05 ? random.Next(classes) : labels[i];
            var (px, py) = (10 * Math.Cos(2 * Math.PI * cluster / classes) + Gaussian(random), 10 * Math.Sin(2 * Math.PI * cluster / classes) + Gaussian(random));
            x[i] = (float)(scale * (Math.Cos(angle) * px - Math.Sin(angle) * py) * mirror);
            y[i] = (float)(scale * (Math.Sin(angle) * px + Math.Cos(angle) * py));
        }
        var run = database.Runs.Add(new RunRecord
        {
            Name = $"seed {seed}", Status = RunStatus.Done, DatasetId = demo.Id, DatasetSpec = demo.Spec, DatasetName = demo.Name,
            ImageSize = demo.ImageSize, Split = DatasetSplit.Train, TrainingSeconds = 60,
        });
        database.Artifacts.SaveResult(new RunResult(run.Id, x, y, labels, Enumerable.Range(0, labels.Length).ToArray(), images.ClassNames));
        database.Artifacts.SaveMetricsJson(run.Id, MapEvaluator.Evaluate(MapPoints.FromColumns(x, y), labels, images.ClassNames.ToArray()).ToJson());
        return run.Id;
    }

    private static double Gaussian(Random random) =>
        1.5 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static string Shot(string name) => HeadlessChromium.Screenshot(name);

    public void Dispose() => _dir.Dispose();
}
