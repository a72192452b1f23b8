using Medvis.Web.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Medvis.Web.Tests.Support;

/// <summary>Debian's Chromium (never a downloaded browser), headless, as every browser test launches it.</summary>
public static class HeadlessChromium
{
    /// <summary>Where scripts/setup.sh --with-browser installs it.</summary>
    public const string Executable = "/usr/bin/chromium";

    /// <summary>No sandbox (tests run as root), no GPU, and nothing that reaches the network.</summary>
    public static readonly string[] Args =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    /// <summary>Skips the calling test when Chromium is not installed.</summary>
    public static void SkipUnlessInstalled() =>
        Skip.IfNot(File.Exists(Executable), $"{Executable} is missing: scripts/setup.sh --with-browser installs it.");

    /// <summary>Starts the browser with <see cref="Args"/>, or with <paramref name="args"/> where a test needs others.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, string[]? args = null) =>
        playwright.Chromium.LaunchAsync(new() { ExecutablePath = Executable, Headless = true, Args = args ?? Args });

    /// <summary>
    /// A page on <paramref name="app"/> with a window of <paramref name="width"/>×<paramref name="height"/> and its default
    /// timeout, in a context of its own (not the page-owned one of IBrowser.NewPageAsync), so that a second page opened
    /// from <c>page.Context</c> shares its cookies.
    /// </summary>
    public static async Task<IPage> OpenPageAsync(IBrowser browser, KestrelApp app, int width = 1400, int height = 1000, float timeoutMs = 90_000)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(timeoutMs);
        return page;
    }

    /// <summary>Signs <paramref name="page"/> in as the admin through the one-time set-up link the app prints on a first start.</summary>
    public static async Task SignInAsAdminAsync(IPage page, KestrelApp app)
    {
        await page.GotoAsync($"account/setup?token={app.Services.GetRequiredService<AdminSetup>().Token}");
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync("admin (Admin)");
    }

    /// <summary>Where a screenshot of that name goes: TestResults/screenshots, created on first use.</summary>
    public static string Screenshot(string name)
    {
        var folder = Path.Combine(RepositoryRoot.Path, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }
}
