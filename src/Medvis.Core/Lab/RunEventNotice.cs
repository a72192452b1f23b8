using System.Text.Json;
using System.Text.Json.Serialization;
using Medvis.Core.Storage;

namespace Medvis.Core.Lab;

/// <summary>What happened to a run.</summary>
public enum RunEventKind { Status, Epoch, Snapshot, Step, Message }

/// <summary>
/// One run event as a PostgreSQL NOTIFY payload on <see cref="Channel"/>. Payloads are limited to 8000 bytes, so a
/// snapshot is announced, not carried: the listener reads it from the run, where it is already stored.
/// </summary>
public sealed record RunEventNotice(int RunId, RunEventKind Kind)
{
    /// <summary>The LISTEN/NOTIFY channel.</summary>
    public const string Channel = "medvis_runs";
    private const int MaxTextLength = 2000;
    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() }, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public RunStatus? Status { get; init; }
    public string? Error { get; init; }
    public EpochPoint? Point { get; init; }
    public int Stage { get; init; }
    public int Epoch { get; init; }
    public int Step { get; init; }
    public int StepsPerEpoch { get; init; }
    public double Loss { get; init; }
    public string? Text { get; init; }
    /// <summary>When the worker sent the notice (its clock): the web app's relay lag is measured from it.</summary>
    public DateTime? SentAtUtc { get; init; }

    /// <summary>The payload, with long texts cut so it stays under PostgreSQL's limit.</summary>
    public string ToPayload() => JsonSerializer.Serialize(this with
    {
        Error = Cut(Error), Text = Cut(Text),
    }, Json);

    /// <summary>Reads a payload; null when it is not one of ours.</summary>
    public static RunEventNotice? FromPayload(string payload)
    {
        try { return JsonSerializer.Deserialize<RunEventNotice>(payload, Json); }
        catch (JsonException) { return null; }
    }

    private static string? Cut(string? text) => text is { Length: > MaxTextLength } ? text[..MaxTextLength] + "…" : text;
}
