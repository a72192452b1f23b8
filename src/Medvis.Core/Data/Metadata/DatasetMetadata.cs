using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Medvis.Core.Data.Metadata;

/// <summary>
/// A metadata table attached to a dataset: columns of values per image index of the dataset's train split (the
/// index a map's points and its coords.csv carry), read from a CSV by <see cref="MetadataCsv"/>.
/// </summary>
public sealed class DatasetMetadata
{
    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public int DatasetId { get; set; }
    /// <summary>The uploaded file's name.</summary>
    public string FileName { get; set; } = "";
    /// <summary>The header of the key column.</summary>
    public string KeyColumn { get; set; } = "";
    /// <summary>How keys were read: "image index" or "file name".</summary>
    public string KeyKind { get; set; } = "";
    /// <summary>Images the dataset's split holds (the length of every column's values).</summary>
    public int ImageCount { get; set; }
    /// <summary>CSV rows, each matched to one image.</summary>
    public int RowCount { get; set; }
    public List<MetadataColumn> Columns { get; set; } = [];
    public string UploadedBy { get; set; } = "";
    public DateTime UploadedAtUtc { get; set; }

    /// <summary>The column with this header, or null.</summary>
    public MetadataColumn? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);

    /// <summary>The columns a map can be coloured by, in table order: categorical and continuous ones, not identifiers.</summary>
    public IReadOnlyList<MetadataColumn> ColourColumns() => Columns.Where(c => c.ColoursMaps()).ToList();

    /// <summary>
    /// One line per identifier column saying how it was kept, for the summary of an attached table, as
    /// "lesion_id: 7,470 distinct values, kept as an identifier (shown on hover, not used for colouring)".
    /// </summary>
    public IReadOnlyList<string> IdentifierNotes() => Columns
        .Where(c => c.Kind == MetadataColumnKind.Identifier)
        .Select(c => string.Create(CultureInfo.InvariantCulture,
            $"{c.Name}: {c.DistinctCount():N0} distinct values, kept as an identifier (shown on hover, not used for colouring)"))
        .ToList();

    /// <summary>UTF-8 JSON, what the stores keep.</summary>
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Reads what <see cref="ToBytes"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The bytes are not stored metadata.</exception>
    public static DatasetMetadata FromBytes(byte[] bytes)
    {
        try
        {
            return JsonSerializer.Deserialize<DatasetMetadata>(bytes, Json) ?? throw new InvalidDataException("stored metadata is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"stored metadata cannot be read: {e.Message}", e);
        }
    }
}
