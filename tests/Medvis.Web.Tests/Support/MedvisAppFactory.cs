using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Support;

/// <summary>
/// The real app in memory, on its own database file; settings override appsettings.json and <c>services</c> may
/// replace registrations (it runs after the app's own).
/// </summary>
public sealed class MedvisAppFactory(
    string databasePath, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration((_, configuration) =>
        {
            var values = new Dictionary<string, string?>
            {
                ["Medvis:DatabasePath"] = databasePath,
                ["Medvis:SeedDemoDataset"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
            configuration.AddInMemoryCollection(values);
        });
        if (services is not null) builder.ConfigureTestServices(services);
    }
}
