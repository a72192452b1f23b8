using Medvis.Core.Storage;
using Medvis.Web.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Support;

/// <summary>
/// The real app in memory, on its own database file; settings override appsettings.json and <c>services</c> may
/// replace registrations (it runs after the app's own). Datasets may be registered from ../shared/data and the
/// system temp folder; uploads go to "uploads" beside the database. <see cref="CreateClientAs"/> signs a client in as a user of a role (<see cref="TestAuthHandler"/>).
/// </summary>
public sealed class MedvisAppFactory(
    string databasePath, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
    string environment = "Development")
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.ConfigureAppConfiguration((_, configuration) =>
        {
            var values = new Dictionary<string, string?>
            {
                ["Medvis:DatabasePath"] = databasePath,
                ["Medvis:SeedDemoDataset"] = "false",
                ["Medvis:DataRoots:0"] = Path.GetTempPath(),
                ["Medvis:DataRoots:1"] = SharedData.Folder ?? Path.GetTempPath(),
                ["Medvis:UploadFolder"] = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath))!, "uploads"),
                ["Logging:LogLevel:Default"] = "Warning",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
            configuration.AddInMemoryCollection(values);
        });
        builder.ConfigureTestServices(s =>
        {
            TestAuthHandler.Register(s);
            services?.Invoke(s);
        });
    }

    /// <summary>The stored user "test-&lt;role&gt;" (created on first use), owner of what its clients queue.</summary>
    public UserRecord UserOf(UserRole role, string? name = null)
    {
        var users = Services.GetRequiredService<IMedvisStore>().Users;
        name ??= $"test-{role.ToString().ToLowerInvariant()}";
        return users.FindByName(name) ?? users.Add(name, role);
    }

    /// <summary>The caller the services see for that user.</summary>
    public Caller CallerOf(UserRole role, string? name = null) => Caller.For(UserOf(role, name));

    /// <summary>A client signed in as a user of <paramref name="role"/>.</summary>
    public HttpClient CreateClientAs(UserRole role, string? name = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(TestAuthHandler.Header, UserOf(role, name).Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return client;
    }

    /// <summary>A started connection to /hubs/training, signed in as a user of <paramref name="role"/> (null: anonymous).</summary>
    public async Task<HubConnection> ConnectHubAsync(UserRole? role, Action<Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions>? configure = null)
    {
        var userId = role is { } r ? UserOf(r).Id : (int?)null;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Server.BaseAddress, "hubs/training"), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => Server.CreateHandler();
                if (userId is { } id) o.Headers[TestAuthHandler.Header] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
                configure?.Invoke(o);
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }
}
