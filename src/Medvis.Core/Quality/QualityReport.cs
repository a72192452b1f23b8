using System.Text.Json;
using System.Text.Json.Serialization;

namespace Medvis.Core.Quality;

/// <summary>One suspicious image in a finder's ranked list.</summary>
/// <param name="Point">Row of the image in the map (0-based).</param>
/// <param name="Index">The image's index in its dataset split (coords.csv's "index" column).</param>
/// <param name="Label">The image's class index.</param>
/// <param name="Score">How suspicious, higher first; its meaning is the finder's (see <see cref="QualityReport"/>).</param>
/// <param name="Reason">One human-readable line saying why the image is listed.</param>
/// <param name="Group">For near-duplicates: the group the image belongs to (the smallest map row in it); null otherwise.</param>
/// <param name="Partner">For near-duplicates: the map row of the image it duplicates (one with the same pixels, else its nearest neighbour); null otherwise.</param>
public sealed record QualityItem(int Point, int Index, int Label, double Score, string Reason, int? Group = null, int? Partner = null);

/// <summary>
/// The three data-quality finders' ranked lists for one map, most suspicious first.
/// <list type="bullet">
/// <item><see cref="NearDuplicates"/>: score 1 − (nearest-neighbour distance / the typical one); 1 means identical pixels.</item>
/// <item><see cref="Outliers"/>: score = how many robust standard deviations the log of (distance to the k-th nearest neighbour / the typical one) lies above its median, in the space where it lies highest.</item>
/// <item><see cref="LabelErrors"/>: score = share of the k nearest map neighbours that carry another label.</item>
/// </list>
/// </summary>
/// <param name="PointCount">Points in the map.</param>
/// <param name="K">Neighbours each finder looks at.</param>
/// <param name="Spaces">Where distances were measured: "map", or "map+features".</param>
/// <param name="NearDuplicates">Near and exact duplicates, grouped.</param>
/// <param name="Outliers">Points far from their neighbours.</param>
/// <param name="LabelErrors">Points whose neighbours mostly carry another label.</param>
/// <param name="Seconds">Wall time of the whole analysis (neighbour searches included).</param>
/// <param name="Limited">What was left out because the map is large (see <see cref="QualityAnalysis.Limitation"/>); null when nothing.</param>
public sealed record QualityReport(
    int PointCount,
    int K,
    string Spaces,
    IReadOnlyList<QualityItem> NearDuplicates,
    IReadOnlyList<QualityItem> Outliers,
    IReadOnlyList<QualityItem> LabelErrors,
    double Seconds,
    string? Limited = null)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The report as indented camelCase JSON (qc.json).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    public static QualityReport FromJson(string json) =>
        JsonSerializer.Deserialize<QualityReport>(json, Json) ?? throw new FormatException("qc.json: empty document.");
}
