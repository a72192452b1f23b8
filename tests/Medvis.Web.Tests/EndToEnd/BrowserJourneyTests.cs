using Medvis.Core.Runs;
using System.Text.RegularExpressions;
using Medvis.Core.Storage;
using Medvis.Web.Datasets;
using Medvis.Web.Auth;
using Medvis.Web.Extensions;
using Medvis.Web.Results;
using Medvis.Web.Training;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Medvis.Web.Tests.EndToEnd;

/// <summary>
/// A user's path through the app in Debian's headless Chromium: the admin signs in through the one-time set-up link
/// the server prints and invites a member, who sets a password and queues a "CPU quick" run on the synthetic demo,
/// watch the live counter and loss chart (training holds after epoch 2 until they are checked), wait for the map,
/// then look at the grid, the metrics and the stored loss curve; then an invited viewer, and last a share-link
/// visitor, see the map and no
/// button that changes anything, and a forced request is refused. Screenshots land in
/// TestResults/screenshots.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class BrowserJourneyTests : IDisposable
{
    private const float TrainingTimeoutMs = 6 * 60 * 1000;
    private const float InteractiveTimeoutMs = 90 * 1000;

    private readonly TempFolder _dir = new();
    private readonly PausingMapTrainer _trainer = new(pauseAfterGlobalEpoch: 2);

    /// <summary>"CPU quick" shrunk so the journey fits CI: 256 demo images, epochs [2, 1, 1].</summary>
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Medvis:SeedDemoDataset"] = "true",
        ["Medvis:CpuQuick:EpochsPerStage:0"] = "2",
        ["Medvis:CpuQuick:EpochsPerStage:1"] = "1",
        ["Medvis:CpuQuick:EpochsPerStage:2"] = "1",
        ["Medvis:CpuQuick:BatchSize"] = "64",
        ["Medvis:CpuQuick:MaxImages"] = "256",
        ["Medvis:CpuQuick:SnapshotSize"] = "200",
        ["Medvis:GridCellThreshold"] = "5",
    };

    [SkippableFact]
    public async Task QuickRunOnTheDemoFromFormToMapGridAndMetrics()
    {
        HeadlessChromium.SkipUnlessInstalled();
        await using var app = new KestrelApp(_dir.File("medvis.db"), Settings, services => services.AddSingleton<IMapTrainer>(_trainer));
        var demo = app.Services.GetRequiredService<IMedvisStore>().Datasets.FindBySpec(DatasetService.DemoSpec);
        Assert.True(demo is not null, "the demo dataset was not registered on start");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await HeadlessChromium.OpenPageAsync(browser, app, timeoutMs: InteractiveTimeoutMs);
        Assertions.SetDefaultExpectTimeout(30_000);

        var adminPage = page;
        // Outside the try: a failure screenshot of the member's page needs its context still open.
        await using var memberContext = await browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 1000 } });
        try
        {
            await SetUpAsync(adminPage, app);
            await RenameDatasetAsync(adminPage);
            var member = await memberContext.NewPageAsync();
            member.SetDefaultTimeout(InteractiveTimeoutMs);
            await InviteMemberAsync(adminPage, member);
            page = member; // a failure screenshot shows the member's page from here on
            await JourneyAsync(member, app, demo!);
            await ViewerVisitAsync(browser, app);
            await ShareLinkVisitAsync(browser, app);
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Shot("failure"), FullPage = true });
            throw;
        }
        finally
        {
            _trainer.Release();
        }
    }

    /// <summary>The one-time link the console shows on a first start (scripts/run-web.sh): one click signs in as admin.</summary>
    private static async Task SetUpAsync(IPage admin, KestrelApp app)
    {
        var setupToken = app.Services.GetRequiredService<AdminSetup>().Token;
        Assert.True(setupToken is not null, "no set-up link on a first start");
        await admin.GotoAsync($"account/setup?token={setupToken}");
        await Assertions.Expect(admin.GetByTestId("signed-in-as")).ToContainTextAsync("admin (Admin)");
        await Assertions.Expect(admin.GetByTestId("home-heading")).ToHaveTextAsync("Maps of medical image datasets");
        var favicon = await admin.Locator("link[rel=icon]").GetAttributeAsync("href");
        Assert.Equal(200, (await admin.APIRequest.GetAsync(favicon!)).Status);
    }

    /// <summary>The admin renames the demo on the Datasets page; deleting asks first, and "Keep" keeps it.</summary>
    private static async Task RenameDatasetAsync(IPage admin)
    {
        await admin.GotoAsync("datasets");
        await Assertions.Expect(admin.GetByTestId("circuit-interactive")).ToBeAttachedAsync(new() { Timeout = InteractiveTimeoutMs });
        await admin.Locator("input[data-testid=dataset-rename-name], [data-testid=dataset-rename-name] input").First.FillAsync("Demo cells");
        await admin.GetByTestId("dataset-rename").ClickAsync();
        await Assertions.Expect(admin.Locator(".mud-list-item", new() { HasTextString = "Demo cells" })).ToBeVisibleAsync();
        await admin.GetByTestId("dataset-delete").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("dataset-delete-confirm")).ToBeVisibleAsync();
        await admin.GetByText("Keep", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("dataset-delete")).ToBeVisibleAsync();
    }

    /// <summary>The admin invites "alice" (a member by default) under Users; she opens the link in her own browser and sets a password.</summary>
    private async Task InviteMemberAsync(IPage admin, IPage member)
    {
        await admin.GotoAsync("admin/users");
        await Assertions.Expect(admin.GetByTestId("circuit-interactive")).ToBeAttachedAsync(new() { Timeout = InteractiveTimeoutMs });
        await admin.Locator("input[data-testid=invite-name], [data-testid=invite-name] input").First.FillAsync("alice");
        await admin.GetByTestId("invite-user").ClickAsync();
        var link = await admin.Locator("input[data-testid=invite-link], [data-testid=invite-link] input").First.InputValueAsync();
        await admin.GetByTestId("copy-invite-link").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("copy-invite-link")).ToContainTextAsync("Copied");
        await admin.ScreenshotAsync(new() { Path = Shot("0-invite"), FullPage = true });

        await SetPasswordAsync(member, link);
        await Assertions.Expect(member.GetByTestId("signed-in-as")).ToContainTextAsync("alice (Member)");
    }

    private static async Task SetPasswordAsync(IPage page, string link)
    {
        await page.GotoAsync(link);
        await page.GetByTestId("new-password").FillAsync("a long enough password");
        await page.GetByTestId("confirm-password").FillAsync("a long enough password");
        await page.GetByTestId("set-password-submit").ClickAsync();
        // An invitation's link signs its user in and goes to the home page.
        await page.WaitForURLAsync(url => !url.Contains("set-password", StringComparison.Ordinal));
    }

    private async Task JourneyAsync(IPage page, KestrelApp app, DatasetRecord demo)
    {
        await page.GotoAsync("datasets");
        await Assertions.Expect(page.GetByTestId("dataset-details")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("img.medvis-thumb").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot("1-datasets"), FullPage = true });

        await page.GotoAsync("runs/new");
        await Assertions.Expect(page.GetByText(new Regex(@"the reference rule 0\.03·batch/256 = [0-9.]+ for batch \d+"))).ToBeVisibleAsync();
        await ClickWhenInteractiveAsync(page, page.GetByTestId("preset-cpu-quick"), () => page.GetByTestId("queue-run").ClickAsync(), new Regex(@"/runs/\d+$"));
        var runId = int.Parse(page.Url.TrimEnd('/').Split('/')[^1]);

        // Live view: training holds after epoch 2 of 4 so the counter and loss curve pushed over SignalR can be
        // checked without racing a run that takes seconds.
        await _trainer.Paused.WaitAsync(TimeSpan.FromMilliseconds(TrainingTimeoutMs));
        await Assertions.Expect(page.GetByTestId("epochs-done")).ToHaveTextAsync("2 / 4");
        // The live view: one loss number, labelled as the chart's epoch mean; the time counts while training;
        // an ETA from the run's own epochs.
        await Assertions.Expect(page.GetByTestId("loss-label")).ToHaveTextAsync("Loss (epoch 2 mean)");
        await Assertions.Expect(page.GetByTestId("latest-loss")).ToHaveTextAsync(new Regex(@"^-?\d+\.\d{4}$"));
        await Assertions.Expect(page.GetByTestId("training-time")).Not.ToHaveTextAsync("00:00:00");
        await Assertions.Expect(page.GetByTestId("eta")).ToHaveTextAsync(new Regex(@"^~?\d{2}:\d{2}:\d{2}$"));
        await Assertions.Expect(page.Locator("#loss-chart .scatterlayer .point")).ToHaveCountAsync(2);
        await page.ScreenshotAsync(new() { Path = Shot("2-live"), FullPage = true });
        _trainer.Release();

        await Assertions.Expect(page.GetByTestId("run-status")).ToHaveTextAsync("done", new() { Timeout = TrainingTimeoutMs });
        var map = page.Locator($"#run-map-{runId}");
        await Assertions.Expect(map.Locator(".legend .traces").First).ToBeVisibleAsync();
        Assert.Equal(demo.ClassNames.Count, await map.Locator(".legend .traces").CountAsync());

        // Hover shows the image behind a point; a lasso around the middle of the map shows the selected images.
        var plot = (await map.Locator(".nsewdrag").First.BoundingBoxAsync())!;
        var (cx, cy, w, h) = (plot.X + plot.Width / 2, plot.Y + plot.Height / 2, plot.Width / 3, plot.Height / 3);
        await HoverUntilAsync(page, cx, cy, page.Locator("[data-testid=hover-panel] img"));
        await page.Mouse.MoveAsync(cx - w, cy - h);
        await page.Mouse.DownAsync();
        foreach (var (x, y) in new[] { (cx + w, cy - h), (cx + w, cy + h), (cx - w, cy + h), (cx - w, cy - h) })
            await page.Mouse.MoveAsync(x, y, new() { Steps = 8 });
        await page.Mouse.UpAsync();
        await Assertions.Expect(page.Locator("[data-testid=selection-grid] img").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot("3-map"), FullPage = true });

        await page.Locator(".mud-tab", new() { HasTextString = "Grid" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("thumbnail-grid")).ToBeVisibleAsync();
        // The default threshold follows the map's size, and the class colours have a legend on this tab too.
        var points = app.Services.GetRequiredService<IMedvisStore>().Artifacts.LoadResult(runId)!.X.Length;
        await Assertions.Expect(page.Locator("input[data-testid=grid-threshold], [data-testid=grid-threshold] input").First).ToHaveValueAsync(ThumbnailGrid.DefaultThreshold(points, 5).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("grid-legend-item")).ToHaveCountAsync(demo.ClassNames.Count);
        Assert.True(await page.GetByTestId("grid-image").CountAsync() > 0, "no grid cell reached the threshold");
        await page.ScreenshotAsync(new() { Path = Shot("4-grid"), FullPage = true });

        await page.Locator(".mud-tab", new() { HasTextString = "Metrics" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("metric-knn")).ToHaveTextAsync(new Regex(@"\d+(\.\d)?\s?%"));
        await Assertions.Expect(page.GetByTestId("run-config")).ToContainTextAsync("2, 1, 1");
        await page.ScreenshotAsync(new() { Path = Shot("5-metrics"), FullPage = true });

        // The finished run keeps its loss curve: one point per epoch of the three stages.
        await page.Locator(".mud-tab", new() { HasTextString = "Training" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("epochs-done")).ToHaveTextAsync("4 / 4");
        await Assertions.Expect(page.Locator("#loss-chart .scatterlayer .trace").First).ToBeAttachedAsync();
        var lossPoints = await page.Locator("#loss-chart .scatterlayer .point").CountAsync();
        Assert.True(lossPoints >= 4, $"the loss chart of a finished 4-epoch run shows {lossPoints} points");
        await page.ScreenshotAsync(new() { Path = Shot("6-training"), FullPage = true });

        // The open tab is in the URL: a copied link opens the same tab.
        // The tab joins the map's lasso in the address (see MapLinkBrowserTests).
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"[?&]tab=training$"));
        Assert.Contains("lasso=", page.Url, StringComparison.Ordinal);
        await page.GotoAsync($"runs/{runId}?tab=metrics");
        await Assertions.Expect(page.GetByTestId("metric-knn")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".mud-tab.mud-tab-active")).ToHaveTextAsync("Metrics");

        var stored = app.Services.GetRequiredService<IMedvisStore>().Runs.Get(runId)!;
        Assert.Equal(RunStatus.Done, stored.Status);
    }

    /// <summary>A viewer (invited by the admin) reads the finished run but sees no button that changes anything, and a forced upload is refused.</summary>
    private async Task ViewerVisitAsync(IBrowser browser, KestrelApp app)
    {
        var database = app.Services.GetRequiredService<IMedvisStore>();
        var run = database.Runs.All().First(r => r.Status == RunStatus.Done);
        var admin = Caller.For(database.Users.FindByName(AdminSetup.DefaultAdminName)!);
        var (_, token) = app.Services.GetRequiredService<AccountService>().Invite(admin, "victor", UserRole.Viewer);

        await using var context = await browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 1000 } });
        var viewer = await context.NewPageAsync();
        viewer.SetDefaultTimeout(InteractiveTimeoutMs);
        await SetPasswordAsync(viewer, $"account/set-password?token={Uri.EscapeDataString(token)}");
        await Assertions.Expect(viewer.GetByTestId("signed-in-as")).ToContainTextAsync("victor (Viewer)");

        await viewer.GotoAsync($"runs/{run.Id}");
        await Assertions.Expect(viewer.GetByTestId("circuit-interactive")).ToBeAttachedAsync(new() { Timeout = InteractiveTimeoutMs });
        await Assertions.Expect(viewer.Locator($"#run-map-{run.Id} .legend .traces").First).ToBeVisibleAsync();
        foreach (var control in new[] { "cancel-run", "tab-oos", "tab-share", "tag-selection" })
            Assert.True(await viewer.GetByTestId(control).CountAsync() == 0, $"a viewer sees {control}");
        await viewer.ScreenshotAsync(new() { Path = Shot("7-viewer"), FullPage = true });

        await viewer.GotoAsync("datasets");
        await Assertions.Expect(viewer.GetByTestId("dataset-details")).ToBeVisibleAsync();
        foreach (var control in new[] { "register-dataset", "dataset-upload" })
            Assert.True(await viewer.GetByTestId(control).CountAsync() == 0, $"a viewer sees {control}");

        // Forced: the viewer's cookie cannot upload a dataset.
        var upload = await viewer.APIRequest.PostAsync("api/datasets/upload?name=x.npz", new() { DataByte = [1, 2, 3], MaxRedirects = 0 });
        Assert.Equal(403, upload.Status);
    }

    /// <summary>A visitor without an account opens a share link of the finished run: map yes, changing anything no.</summary>
    private async Task ShareLinkVisitAsync(IBrowser browser, KestrelApp app)
    {
        var database = app.Services.GetRequiredService<IMedvisStore>();
        var run = database.Runs.All().First(r => r.Status == RunStatus.Done);
        var admin = Caller.For(database.Users.FindByName(AdminSetup.DefaultAdminName)!);
        var shares = app.Services.GetRequiredService<ShareLinks>();
        var (link, token) = shares.Create(admin, ShareKind.Run, [run.Id], TimeSpan.FromHours(1));

        await using var context = await browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 1000 } });
        var visitor = await context.NewPageAsync();
        visitor.SetDefaultTimeout(InteractiveTimeoutMs);
        await visitor.GotoAsync($"share/{token}");
        // The link lands on the presenter view; its "Normal view" leads to the read-only run page.
        await Assertions.Expect(visitor.GetByTestId("presenter-legend")).ToBeVisibleAsync();
        await Assertions.Expect(visitor.GetByTestId("shared-view")).ToBeVisibleAsync();
        await Assertions.Expect(visitor.GetByTestId("circuit-interactive")).ToBeAttachedAsync(new() { Timeout = InteractiveTimeoutMs });
        await Assertions.Expect(visitor.Locator("[data-testid=presenter-map] .nsewdrag").First).ToBeVisibleAsync();
        await visitor.ScreenshotAsync(new() { Path = Shot("8-shared-presenter"), FullPage = true });
        await visitor.GetByTestId("to-normal-view").ClickAsync();
        await Assertions.Expect(visitor.GetByTestId("shared-view")).ToBeVisibleAsync();
        await Assertions.Expect(visitor.Locator($"#run-map-{run.Id} .legend .traces").First).ToBeVisibleAsync();
        Assert.Equal(0, await visitor.GetByTestId("cancel-run").CountAsync());
        Assert.Equal(0, await visitor.GetByTestId("tab-oos").CountAsync());
        Assert.Equal(0, await visitor.GetByTestId("tab-share").CountAsync());
        Assert.Equal(0, await visitor.GetByTestId("tag-selection").CountAsync());
        await visitor.ScreenshotAsync(new() { Path = Shot("8-shared"), FullPage = true });

        // Forced: the visitor's cookie opens neither the run list nor dataset images.
        var runs = await visitor.APIRequest.GetAsync("runs", new() { MaxRedirects = 0 });
        Assert.NotEqual(200, runs.Status);
        var images = await visitor.APIRequest.GetAsync($"api/datasets/{run.DatasetId}/images/0.png");
        Assert.Equal(403, images.Status);

        // Revoked while the page is open: the live page ends at once, without the visitor doing anything.
        await Assertions.Expect(visitor.GetByTestId("circuit-interactive")).ToBeAttachedAsync(new() { Timeout = InteractiveTimeoutMs });
        await shares.RevokeAsync(admin, link.Id);
        await Assertions.Expect(visitor.GetByTestId("access-denied")).ToContainTextAsync("Your access ended");
        Assert.Equal(0, await visitor.Locator($"#run-map-{run.Id}").CountAsync());
    }

    /// <summary>
    /// A prerendered page ignores clicks until its circuit connects: wait for the layout's interactivity marker,
    /// then act and wait for the navigation it causes. On a starved CI machine a click can still go unanswered, so
    /// the action is repeated, but only while the page has not navigated yet (never on the page it led to).
    /// </summary>
    private static async Task ClickWhenInteractiveAsync(IPage page, ILocator prepare, Func<Task> act, Regex urlAfter)
    {
        await Assertions.Expect(page.GetByTestId("circuit-interactive")).ToBeAttachedAsync(new() { Timeout = InteractiveTimeoutMs });
        const int attempts = 6;
        for (var attempt = 1; ; attempt++)
        {
            if (urlAfter.IsMatch(page.Url)) return;
            await prepare.ClickAsync(new() { Timeout = InteractiveTimeoutMs });
            await act();
            try
            {
                await page.WaitForURLAsync(urlAfter, new() { Timeout = 20_000, WaitUntil = WaitUntilState.Commit });
                return;
            }
            catch (System.TimeoutException) when (attempt < attempts)
            {
            }
            catch (System.TimeoutException e)
            {
                var errors = await page.GetByTestId("run-errors").AllInnerTextsAsync();
                throw new System.TimeoutException($"no navigation to {urlAfter} after {attempts} clicks; page {page.Url}; form errors: [{string.Join("; ", errors)}]", e);
            }
        }
    }

    /// <summary>Moves the mouse around a spot until <paramref name="expected"/> appears (WebGL hover needs a point under the cursor).</summary>
    private static async Task HoverUntilAsync(IPage page, float x, float y, ILocator expected)
    {
        for (var ring = 0; ring < 12; ring++)
        {
            var angle = ring * Math.PI / 3;
            var radius = 4f * ring;
            await page.Mouse.MoveAsync(x + radius * (float)Math.Cos(angle), y + radius * (float)Math.Sin(angle), new() { Steps = 3 });
            try
            {
                await Assertions.Expect(expected).ToBeVisibleAsync(new() { Timeout = 1000 });
                return;
            }
            catch (PlaywrightException) when (ring < 11)
            {
            }
        }
    }

    private static string Shot(string name) => HeadlessChromium.Screenshot(name);

    public void Dispose()
    {
        _trainer.Release();
        _dir.Dispose();
    }
}
