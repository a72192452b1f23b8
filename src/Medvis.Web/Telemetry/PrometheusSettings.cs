namespace Medvis.Web.Telemetry;

/// <summary>The Prometheus scrape endpoint (<c>Medvis:Telemetry:Prometheus</c>); the exporter is a beta package.</summary>
public sealed class PrometheusSettings
{
    /// <summary>The path the endpoint answers at.</summary>
    public const string Path = "/metrics";

    /// <summary>Serve <see cref="Path"/>; off by default.</summary>
    public bool Enabled { get; set; }
}
