using Medvis.Core.Data;
using Medvis.Core.Storage;
using Medvis.Core.Tests.Data.Dicom;
using Medvis.Core.Training;
using Medvis.Web.Auth;
using Medvis.Web.Tests.Support;
using Medvis.Web.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Medvis.Web.Tests.EndToEnd;

/// <summary>
/// A DICOM folder in Debian's headless Chromium: the admin registers a generated folder of chest-X-ray-like files
/// (every supported encoding), a tiny map is trained on it, and the map colours by a DICOM tag, ViewPosition.
/// No page shows a patient's name or ID. Screenshots land in TestResults/screenshots.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class DicomBrowserTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public async Task ADicomFolderRegistersThroughTheFormAndItsMapColoursByATag()
    {
        HeadlessChromium.SkipUnlessInstalled();
        DicomChestFolder.Write(_dir.File("cxr"), perClass: 16);
        await using var app = new KestrelApp(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:SeedDemoDataset"] = "false" });
        var database = app.Services.GetRequiredService<IMedvisStore>();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await HeadlessChromium.OpenPageAsync(browser, app);
        Assertions.SetDefaultExpectTimeout(60_000);
        await HeadlessChromium.SignInAsAdminAsync(page, app);

        await page.GotoAsync("datasets");
        await Assertions.Expect(page.GetByTestId("circuit-interactive")).ToBeAttachedAsync();
        await page.Locator("input[data-testid=dataset-path]").FillAsync(_dir.File("cxr"));
        await page.Locator("input[data-testid=dataset-image-size]").FillAsync("16");
        await page.GetByTestId("register-dataset").ClickAsync();
        await Assertions.Expect(page.GetByTestId("dataset-details")).ToContainTextAsync("effusion");
        await page.ScreenshotAsync(new() { Path = HeadlessChromium.Screenshot("dicom-registered") });
        var dataset = Assert.Single(database.Datasets.All());
        Assert.NotNull(database.Metadata.Load(dataset.Id)!.Columns.Find(c => c.Name == "ViewPosition"));

        var runId = await TrainTinyMapAsync(app, dataset);
        await page.GotoAsync($"runs/{runId}");
        await Assertions.Expect(page.GetByTestId("circuit-interactive")).ToBeAttachedAsync();
        await page.GetByTestId("colour-by").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").GetByText("ViewPosition", new() { Exact = true }).ClickAsync();
        var legend = page.Locator($"#run-map-{runId} .legend .legendtext");
        await Assertions.Expect(legend.First).ToBeVisibleAsync();
        Assert.Equal(["AP", "PA"], (await legend.AllTextContentsAsync()).Select(t => t.Trim()).Where(t => t is "AP" or "PA").Order());
        await page.ScreenshotAsync(new() { Path = HeadlessChromium.Screenshot("dicom-colour-by-view") });
        var html = await page.ContentAsync();
        Assert.DoesNotContain("Doe^Jane", html);
        Assert.DoesNotContain(DicomChestFolder.PatientId, html);
    }

    /// <summary>A run of the tiny backbone on the registered files, trained here; waits for its end as announced.</summary>
    private static async Task<int> TrainTinyMapAsync(KestrelApp app, DatasetRecord dataset)
    {
        var ended = new TaskCompletionSource<RunStatusUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = app.Services.GetRequiredService<TrainingNotifier>().Subscribe(null, update =>
        {
            if (update is RunStatusUpdate { Status: RunStatus.Done or RunStatus.Failed or RunStatus.Cancelled } status) ended.TrySetResult(status);
            return Task.CompletedTask;
        });
        var options = new TrainingOptions { Backbone = "tiny", BatchSize = 16, EpochsPerStage = [1, 1, 1], Device = "cpu", Seed = 3 };
        var run = app.Services.GetRequiredService<RunPlanner>().Queue(Caller.System, new RunRequest(dataset.Id, DatasetSplit.Train, options)).Runs[0];
        var final = await ended.Task.WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(final.Status == RunStatus.Done, $"run ended {final.Status}: {final.Error}");
        return run.Id;
    }
}
