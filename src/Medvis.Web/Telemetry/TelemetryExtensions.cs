using System.Diagnostics.Metrics;
using Medvis.Core.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Medvis.Web.Telemetry;

/// <summary>
/// OpenTelemetry metrics: ASP.NET Core's, the runtime's and Medvis' own (<see cref="MedvisMetrics"/>), read by the
/// exporters <see cref="TelemetrySettings"/> turns on. With none configured no reader listens, so the instruments stay
/// disabled and recording costs nothing.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>Registers the meter provider and <see cref="MedvisMetrics"/>.</summary>
    public static IServiceCollection AddMedvisTelemetry(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<MedvisMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MedvisMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation());
        // The exporters follow the validated options, which are complete only once the app is built (test hosts and
        // the command line add settings late), so the readers are chosen when the provider is created.
        services.ConfigureOpenTelemetryMeterProvider((sp, metrics) =>
        {
            // Meters are matched by name across the process: where several hosts share one (tests do), another
            // host's "Medvis" or ASP.NET Core meter would mix its figures into this one's. Meters from a factory
            // count only when they come from this host's; the runtime's (no factory) are the process's anyway.
            var meterFactory = sp.GetRequiredService<IMeterFactory>();
            metrics.AddView(instrument => instrument.Meter.Scope is { } scope && scope != meterFactory ? MetricStreamConfiguration.Drop : null);
            var telemetry = sp.GetRequiredService<IOptions<MedvisOptions>>().Value.Telemetry;
            if (telemetry.Otlp.Enabled)
                metrics.AddReader(new PeriodicExportingMetricReader(new OtlpMetricExporter(telemetry.Otlp.ToExporterOptions()),
                    telemetry.Otlp.ExportIntervalSeconds * 1000));
            if (telemetry.Prometheus.Enabled) metrics.AddPrometheusExporter();
        });
        return services;
    }

    /// <summary>
    /// Maps <see cref="PrometheusSettings.Path"/> when the scrape endpoint is on. It answers anonymous callers, as
    /// <c>/healthz</c> does: a scraper cannot sign in, and the figures name no user, dataset or run.
    /// </summary>
    public static void MapMedvisMetrics(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<MedvisOptions>>().Value.Telemetry.Prometheus.Enabled) return;
        app.MapPrometheusScrapingEndpoint(PrometheusSettings.Path).AllowAnonymous();
    }
}
