using Bunit;
using MudBlazor.Services;

namespace Medvis.Web.Tests.Support;

/// <summary>
/// A bUnit context with MudBlazor's services and loose JS interop. Disposed asynchronously because MudBlazor's
/// services only implement IAsyncDisposable (xUnit 2 calls DisposeAsync through IAsyncLifetime first).
/// </summary>
public abstract class MudTestContext : BunitContext, IAsyncLifetime
{
    protected MudTestContext()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    /// <summary>How long to wait for work a component starts on the thread pool (the first call loads libtorch,
    /// which takes seconds on a busy 2-core machine).</summary>
    protected static TimeSpan Patience { get; } = TimeSpan.FromSeconds(30);

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        DisposeResources();
    }

    /// <summary>Releases what the test created besides the bUnit context.</summary>
    protected virtual void DisposeResources() { }
}
