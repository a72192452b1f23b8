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
}
