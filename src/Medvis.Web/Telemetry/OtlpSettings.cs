using OpenTelemetry.Exporter;

namespace Medvis.Web.Telemetry;

/// <summary>The OTLP push exporter (<c>Medvis:Telemetry:Otlp</c>).</summary>
public sealed class OtlpSettings
{
    /// <summary>The value of <see cref="Protocol"/> for OTLP over gRPC (the collector's port 4317).</summary>
    public const string Grpc = "grpc";
    /// <summary>The value of <see cref="Protocol"/> for OTLP over HTTP (the collector's port 4318, path /v1/metrics).</summary>
    public const string HttpProtobuf = "http/protobuf";

    /// <summary>The collector's URL, e.g. <c>http://otel-collector:4317</c>; empty: no push.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary><see cref="Grpc"/> (the default) or <see cref="HttpProtobuf"/>.</summary>
    public string Protocol { get; set; } = Grpc;

    /// <summary>Seconds between two pushes.</summary>
    public int ExportIntervalSeconds { get; set; } = 60;

    /// <summary>True when an endpoint is set.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Endpoint);

    /// <summary>Why these settings cannot work, or null.</summary>
    public string? Problem() =>
        Enabled && !(Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            ? "Medvis:Telemetry:Otlp:Endpoint must be an http or https URL"
        : Protocol is not (Grpc or HttpProtobuf) ? $"Medvis:Telemetry:Otlp:Protocol must be {Grpc} or {HttpProtobuf}"
        : ExportIntervalSeconds is < 1 or > 3600 ? "Medvis:Telemetry:Otlp:ExportIntervalSeconds must be between 1 and 3600"
        : null;

    /// <summary>
    /// These settings as the exporter takes them. Over HTTP a bare collector address gets the metrics path, as the
    /// exporter adds it only to endpoints read from its environment variables.
    /// </summary>
    public OtlpExporterOptions ToExporterOptions() => new()
    {
        Endpoint = Protocol == HttpProtobuf && new Uri(Endpoint).AbsolutePath == "/" ? new Uri(new Uri(Endpoint), "v1/metrics") : new Uri(Endpoint),
        Protocol = Protocol == HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc,
    };
}
