using Medvis.Core.Data;
using Medvis.Core.Storage;
using Medvis.Web.Datasets;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Medvis.Web.Tests.EndToEnd;

/// <summary>
/// A map exported from the run page as one HTML file opens from <c>file://</c> in headless Chromium with every
/// network request refused: hover shows the point's thumbnail, and a legend entry hides its class.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class MapHtmlExportBrowserTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public async Task TheExportedMapOpensOfflineWithThumbnailsOnHoverAndLegendToggles()
    {
        HeadlessChromium.SkipUnlessInstalled();
        await using var app = new KestrelApp(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:SeedDemoDataset"] = "true" });
        var database = app.Services.GetRequiredService<IMedvisStore>();
        var demo = database.Datasets.FindBySpec(DatasetService.DemoSpec)!;
        var images = app.Services.GetRequiredService<DatasetService>().Load(demo, DatasetSplit.Train);
        var runId = new FinishedMaps(database).AddRing("ring", demo, images, 400);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await HeadlessChromium.OpenPageAsync(browser, app);
        Assertions.SetDefaultExpectTimeout(30_000);
        await HeadlessChromium.SignInAsAdminAsync(page, app);
        await page.GotoAsync($"runs/{runId}");
        var link = page.GetByTestId("export-html");
        await Assertions.Expect(link).ToBeVisibleAsync();
        var download = await page.APIRequest.GetAsync((await link.GetAttributeAsync("href"))!);
        Assert.Equal(200, download.Status);
        var file = _dir.File("map.html");
        await File.WriteAllBytesAsync(file, await download.BodyAsync());
        output.WriteLine($"exported {new FileInfo(file).Length / 1024.0:F0} KB for 400 points");

        // A fresh context that refuses every request but the file itself.
        var offline = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        var refused = new List<string>();
        await offline.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith("file:", StringComparison.Ordinal)) await route.ContinueAsync();
            else { refused.Add(route.Request.Url); await route.AbortAsync(); }
        });
        var map = await offline.NewPageAsync();
        var errors = new List<string>();
        map.PageError += (_, e) => errors.Add(e);
        await map.GotoAsync(new Uri(file).AbsoluteUri);
        await Assertions.Expect(map.GetByTestId("visible-count")).ToHaveAttributeAsync("data-shown", "400");
        await map.WaitForFunctionAsync("() => window.medvisMap.thumbnailsLoaded()");

        // Hover a point: its thumbnail is drawn (not blank) with its class.
        var xy = await map.EvaluateAsync<float[]>("() => window.medvisMap.pageXY(7)");
        await map.Mouse.MoveAsync(xy[0], xy[1]);
        var hover = map.GetByTestId("hover-panel");
        await Assertions.Expect(hover).ToBeVisibleAsync();
        await Assertions.Expect(hover).ToContainTextAsync(images.ClassNames[images.Labels[7]]);
        var inked = await map.EvaluateAsync<int>(@"() => {
            const c = document.querySelector('[data-testid=hover-panel] canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let inked = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250)) inked++;
            return inked; }");
        Assert.True(inked > 500, $"the hover thumbnail has {inked} coloured pixels");

        // A legend entry hides its class.
        var firstClass = images.Labels.Take(400).Count(l => l == 0);
        await map.Locator("[data-testid=legend-item][data-group='0']").ClickAsync();
        await Assertions.Expect(map.GetByTestId("visible-count")).ToHaveAttributeAsync("data-shown", (400 - firstClass).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var shownIndex = Enumerable.Range(0, 400).First(i => images.Labels[i] == 0);
        Assert.False(await map.EvaluateAsync<bool>($"() => window.medvisMap.isVisible({shownIndex})"));
        await map.ScreenshotAsync(new() { Path = HeadlessChromium.Screenshot("map-html-export-offline") });

        Assert.Empty(refused);
        Assert.Empty(errors);
    }
}
