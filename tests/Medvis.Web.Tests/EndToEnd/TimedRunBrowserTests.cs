using Medvis.Core.Data;
using Medvis.Core.Evaluation;
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
/// A finished timed run in headless Chromium: its metrics tab says how the map compares with the t-SNE of its
/// pixels, and one click opens the two maps side by side in Compare.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class TimedRunBrowserTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public async Task TheMetricsTabComparesTheMapWithItsPixelBaselineAndOpensBothInCompare()
    {
        HeadlessChromium.SkipUnlessInstalled();
        await using var app = new KestrelApp(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:SeedDemoDataset"] = "true" });
        var database = app.Services.GetRequiredService<IMedvisStore>();
        var demo = database.Datasets.FindBySpec(DatasetService.DemoSpec)!;
        var options = new TrainingOptions { Backbone = "tiny", BatchSize = 32, BudgetMinutes = 0.1, Device = "cpu", SnapshotSize = 50 };
        var queued = app.Services.GetRequiredService<RunPlanner>()
            .Queue(Caller.System, new RunRequest(demo.Id, DatasetSplit.Train, options, MaxImages: 150, Name: "timed"));
        Assert.True(queued.Succeeded, string.Join("; ", queued.Errors));
        var runId = queued.Runs[0].Id;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await HeadlessChromium.OpenPageAsync(browser, app);
        Assertions.SetDefaultExpectTimeout(30_000);
        await HeadlessChromium.SignInAsAdminAsync(page, app);
        try
        {
            await page.GotoAsync($"runs/{runId}?tab=metrics");
            // The page follows the run live: the verdict appears once it is done, within the budget and its scoring.
            var verdict = page.GetByTestId("metric-baseline");
            await Assertions.Expect(verdict).ToBeVisibleAsync(new() { Timeout = 180_000 });
            Assert.Matches("t-SimCNE vs pixel t-SNE|This map shows less than the t-SNE of the pixels", await verdict.TextContentAsync() ?? "");
            var baselineRun = MetricsReport.FromJson(database.Artifacts.LoadMetricsJson(runId)!).Baseline!.RunId!.Value;

            await page.GetByTestId("compare-baseline").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($@"compare\?runs={runId},{baselineRun}$"));
            await Assertions.Expect(page.GetByTestId("compare-column")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator(".medvis-compare-maps .nsewdrag")).ToHaveCountAsync(2);
            await page.ScreenshotAsync(new() { Path = HeadlessChromium.Screenshot("timed-run-compare-baseline"), FullPage = true });
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = HeadlessChromium.Screenshot("timed-run-failure"), FullPage = true });
            throw;
        }
    }
}
