using Medvis.Core.Data;
using Medvis.Core.Storage;
using Medvis.Web.Datasets;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Medvis.Web.Tests.EndToEnd;

/// <summary>
/// A run's map on a phone, in Debian's headless Chromium at 390×844 with a touch screen: the app bar keeps one line and
/// nothing is wider than the screen, the plot takes the width with the legend below it, and a tap on a point shows
/// what hover shows.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class PhoneMapBrowserTests : IDisposable
{
    private const int Width = 390;
    private const int Height = 844;

    private readonly TempFolder _dir = new();

    [SkippableFact]
    public async Task OnAPhoneThePlotTakesTheWidthTheLegendFoldsBelowAndATapShowsTheHoverPanel()
    {
        HeadlessChromium.SkipUnlessInstalled();
        await using var app = new KestrelApp(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:SeedDemoDataset"] = "true" });
        var database = app.Services.GetRequiredService<IMedvisStore>();
        var demo = database.Datasets.FindBySpec(DatasetService.DemoSpec)!;
        var images = app.Services.GetRequiredService<DatasetService>().Load(demo, DatasetSplit.Train);
        var runId = new FinishedMaps(database).AddRing("phone", demo, images, 400);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = Width, Height = Height }, HasTouch = true, IsMobile = true,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(90_000);
        Assertions.SetDefaultExpectTimeout(60_000);
        await HeadlessChromium.SignInAsAdminAsync(page, app);
        try
        {
            await page.GotoAsync($"runs/{runId}");
            await Assertions.Expect(page.GetByTestId("circuit-interactive")).ToBeAttachedAsync();
            var appBar = (await page.Locator(".mud-appbar").BoundingBoxAsync())!;
            Assert.True(appBar.Height <= 64, $"the app bar is {appBar.Height:F0} px tall: it wraps");
            var pageWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(pageWidth <= Width, $"the page is {pageWidth} px wide on a {Width}-px screen");

            var map = page.Locator($"#run-map-{runId}");
            await Assertions.Expect(map.Locator(".nsewdrag")).ToHaveCountAsync(1);
            // The legend moves below the plot once the map has found its column narrow.
            await map.EvaluateAsync("""
                e => new Promise((resolve, reject) => {
                    const until = Date.now() + 60000;
                    const look = () => {
                        const plot = e.querySelector('.nsewdrag'), legend = e.querySelector('.legend');
                        if (plot && legend && legend.getBoundingClientRect().top >= plot.getBoundingClientRect().bottom - 1) resolve(true);
                        else if (Date.now() > until) reject(new Error('the legend stays beside the plot'));
                        else requestAnimationFrame(look);
                    };
                    look();
                })
                """);
            var plot = (await map.Locator(".nsewdrag").BoundingBoxAsync())!;
            // The page's and the tab's padding and the axis labels take about 100 px; a legend beside the plot took 200 more.
            Assert.True(plot.Width >= 0.7 * Width, $"the plot is {plot.Width:F0} px wide on a {Width}-px screen");
            await page.ScreenshotAsync(new() { Path = Shot("phone-map") });

            // A tap on a point: no hover came first, yet the hover panel shows the point.
            await Assertions.Expect(page.GetByTestId("hover-point")).ToHaveCountAsync(0);
            var (x, y) = await PixelOfFirstPointAsync(map);
            await page.Touchscreen.TapAsync(x, y);
            await Assertions.Expect(page.GetByTestId("hover-point")).ToContainTextAsync("point ");
            await Assertions.Expect(page.GetByTestId("hover-image")).ToBeVisibleAsync();
            await page.ScreenshotAsync(new() { Path = Shot("phone-map-tapped"), FullPage = true });
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Shot("phone-map-failure"), FullPage = true });
            throw;
        }
    }

    /// <summary>The page position of the first point of the first trace, from Plotly's own axes, scrolled into view.</summary>
    private static async Task<(float X, float Y)> PixelOfFirstPointAsync(ILocator map)
    {
        await map.Locator(".nsewdrag").ScrollIntoViewIfNeededAsync();
        var xy = await map.EvaluateAsync<float[]>("""
            e => {
                const layout = e._fullLayout, box = e.getBoundingClientRect();
                const trace = e.data.find(t => t.x.length > 0);
                return [box.left + layout._size.l + layout.xaxis.l2p(trace.x[0]), box.top + layout._size.t + layout.yaxis.l2p(trace.y[0])];
            }
            """);
        return (xy[0], xy[1]);
    }

    private static string Shot(string name) => HeadlessChromium.Screenshot(name);

    public void Dispose() => _dir.Dispose();
}
