using System.Text.Json;
using System.Text.Json.Serialization;

namespace Medvis.Core.Data.Metadata;

/// <summary>How a metadata column is read and drawn.</summary>
public enum MetadataColumnKind
{
    /// <summary>Text values from a small set: a palette with a legend, filtered by the values to include.</summary>
    Categorical,
    /// <summary>Numbers: a colour scale with a colour bar, filtered by a range.</summary>
    Continuous,
}

/// <summary>One metadata column, resolved to the dataset's images: a value (or missing) per image index.</summary>
public sealed class MetadataColumn
{
    /// <summary>The header of the column in the CSV.</summary>
    public string Name { get; set; } = "";
    public MetadataColumnKind Kind { get; set; }
    /// <summary>The distinct values of a categorical column, in the order codes refer to them.</summary>
    public List<string> Categories { get; set; } = [];
    /// <summary>Categorical: per image index, the index into <see cref="Categories"/>, −1 when missing.</summary>
    public int[] Codes { get; set; } = [];
    /// <summary>Continuous: per image index, the value, NaN when missing.</summary>
    public double[] Values { get; set; } = [];

    /// <summary>Whether image <paramref name="index"/> has a value in this column.</summary>
    public bool HasValue(int index) => Kind == MetadataColumnKind.Categorical
        ? index >= 0 && index < Codes.Length && Codes[index] >= 0
        : index >= 0 && index < Values.Length && !double.IsNaN(Values[index]);

    /// <summary>The value of image <paramref name="index"/> as text ("" when missing).</summary>
    public string Text(int index) => !HasValue(index) ? ""
        : Kind == MetadataColumnKind.Categorical ? Categories[Codes[index]]
        : Values[index].ToString("G6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Smallest and largest value of a continuous column (NaN, NaN when it has none).</summary>
    public (double Min, double Max) Range()
    {
        var present = Values.Where(v => !double.IsNaN(v)).ToArray();
        return present.Length == 0 ? (double.NaN, double.NaN) : (present.Min(), present.Max());
    }
}

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
