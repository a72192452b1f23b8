using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Support;

/// <summary>The real app served by Kestrel on a free loopback port, for a real browser.</summary>
public sealed class KestrelApp : IAsyncDisposable
{
    private readonly MedvisAppFactory _factory;

    public KestrelApp(string databasePath, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        _factory = new MedvisAppFactory(databasePath, settings, services);
        _factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First().TrimEnd('/') + "/");
    }

    /// <summary>Where the app listens, ending with a slash.</summary>
    public Uri BaseAddress { get; }

    public IServiceProvider Services => _factory.Services;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}
