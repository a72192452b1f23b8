using Medvis.Core.Data;
using Medvis.Core.Storage;
using Medvis.Core.Tests.Data;
using Medvis.Core.Training;
using Medvis.Web.Auth;
using Medvis.Web.Tests.Support;
using Medvis.Web.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Medvis.Web.Tests.EndToEnd;

/// <summary>
/// Labels from a table in Debian's headless Chromium: the admin registers a generated HAM10000-style folder (nested
/// JPEGs) with its CSV, picking the label and group columns from the listed ones, reads the matching summary, and the
/// map of a tiny run says its kNN split was grouped and colours by a column of the table. Screenshots land in
/// TestResults/screenshots.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class LabelTableBrowserTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public async Task AFolderAndItsCsvRegisterInOneStepAndTheMapSaysItsSplitWasGrouped()
    {
        HeadlessChromium.SkipUnlessInstalled();
        var csv = HamStyleFolder.Write(_dir.Path, images: 60, lesions: 40);
        File.AppendAllText(csv, "HAM_9999999,ISIC_9999999,nv,histo,40,male,back\n");
        await using var app = new KestrelApp(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:SeedDemoDataset"] = "false" });
        var database = app.Services.GetRequiredService<IMedvisStore>();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await HeadlessChromium.OpenPageAsync(browser, app);
        Assertions.SetDefaultExpectTimeout(60_000);
        await HeadlessChromium.SignInAsAdminAsync(page, app);

        await page.GotoAsync("datasets");
        await Assertions.Expect(page.GetByTestId("circuit-interactive")).ToBeAttachedAsync();
        await page.Locator("input[data-testid=dataset-path]").FillAsync(_dir.File("images"));
        await page.Locator("input[data-testid=dataset-image-size]").FillAsync("16");
        await page.Locator("input[data-testid=label-table-path]").FillAsync(csv);
        await page.GetByTestId("label-table-read").ClickAsync();
        await Assertions.Expect(page.GetByTestId("label-table-columns")).ToContainTextAsync("61 rows, 7 columns");
        await page.GetByTestId("label-column").SelectOptionAsync("dx");
        await page.GetByTestId("label-group").SelectOptionAsync("lesion_id");
        await page.GetByTestId("register-dataset").ClickAsync();
        var summary = page.GetByTestId("label-table-summary");
        await Assertions.Expect(summary).ToContainTextAsync("metadata.csv:dx: 60 images labelled in 3 classes");
        await Assertions.Expect(summary).ToContainTextAsync("rows without an image: 1 (ISIC_9999999), ignored");
        await Assertions.Expect(summary).ToContainTextAsync("grouped by lesion_id: 40 groups");
        await page.ScreenshotAsync(new() { Path = HeadlessChromium.Screenshot("label-table-registered") });

        var dataset = Assert.Single(database.Datasets.All());
        var runId = await TrainTinyMapAsync(app, dataset);
        await page.GotoAsync($"runs/{runId}?tab=metrics");
        await Assertions.Expect(page.GetByTestId("metric-split")).ToHaveTextAsync("grouped by lesion_id split");

        await page.GotoAsync($"runs/{runId}");
        await Assertions.Expect(page.GetByTestId("circuit-interactive")).ToBeAttachedAsync();
        await page.GetByTestId("colour-by").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").GetByText("localization", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator($"#run-map-{runId} .legend .legendtext").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = HeadlessChromium.Screenshot("label-table-colour-by-site") });
    }

    /// <summary>A run of the tiny backbone on the registered images, trained here.</summary>
    private static async Task<int> TrainTinyMapAsync(KestrelApp app, DatasetRecord dataset)
    {
        var options = new TrainingOptions { Backbone = "tiny", BatchSize = 32, EpochsPerStage = [1, 1, 1], Device = "cpu", Seed = 3 };
        var run = app.Services.GetRequiredService<RunPlanner>().Queue(Caller.System, new RunRequest(dataset.Id, DatasetSplit.Train, options)).Runs[0];
        var database = app.Services.GetRequiredService<IMedvisStore>();
        await Poll.UntilAsync(() => database.Runs.Get(run.Id)!.Status is not (RunStatus.Queued or RunStatus.Running), TimeSpan.FromMinutes(5), "the tiny run to end");
        var ended = database.Runs.Get(run.Id)!;
        Assert.True(ended.Status == RunStatus.Done, $"the tiny run ended {ended.Status}: {ended.Error}");
        return run.Id;
    }
}
