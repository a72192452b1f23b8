namespace Medvis.Web.Telemetry;

/// <summary>Where the app's metrics go (<c>Medvis:Telemetry</c>); nowhere unless configured.</summary>
public sealed class TelemetrySettings
{
    /// <summary>Push to an OpenTelemetry collector.</summary>
    public OtlpSettings Otlp { get; set; } = new();

    /// <summary>Let a Prometheus server scrape <c>/metrics</c>.</summary>
    public PrometheusSettings Prometheus { get; set; } = new();
}
