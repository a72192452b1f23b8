using System.Globalization;

namespace Medvis.Core.Data.Metadata;

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
    /// <summary>Identifier: per image index, the value, null when missing.</summary>
    public string?[] Identifiers { get; set; } = [];

    /// <summary>Whether image <paramref name="index"/> has a value in this column.</summary>
    public bool HasValue(int index) => Kind switch
    {
        MetadataColumnKind.Categorical => index >= 0 && index < Codes.Length && Codes[index] >= 0,
        MetadataColumnKind.Continuous => index >= 0 && index < Values.Length && !double.IsNaN(Values[index]),
        MetadataColumnKind.Identifier => index >= 0 && index < Identifiers.Length && Identifiers[index] is not null,
        _ => false,
    };

    /// <summary>The value of image <paramref name="index"/> as text ("" when missing).</summary>
    public string Text(int index) => !HasValue(index) ? "" : Kind switch
    {
        MetadataColumnKind.Categorical => Categories[Codes[index]],
        MetadataColumnKind.Identifier => Identifiers[index]!,
        _ => Values[index].ToString("G6", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Whether a map can be coloured by this column: categorical and continuous columns can, identifiers (too many
    /// distinct values for a legend) cannot.
    /// </summary>
    public bool ColoursMaps() => Kind is MetadataColumnKind.Categorical or MetadataColumnKind.Continuous;

    /// <summary>How many different values the column holds (missing ones not counted; text compared exactly).</summary>
    public int DistinctCount() => Kind switch
    {
        MetadataColumnKind.Categorical => Categories.Count,
        MetadataColumnKind.Identifier => Identifiers.Where(v => v is not null).Distinct(StringComparer.Ordinal).Count(),
        _ => Values.Where(v => !double.IsNaN(v)).Distinct().Count(),
    };

    /// <summary>Smallest and largest value of a continuous column (NaN, NaN when it has none).</summary>
    public (double Min, double Max) Range()
    {
        var present = Values.Where(v => !double.IsNaN(v)).ToArray();
        return present.Length == 0 ? (double.NaN, double.NaN) : (present.Min(), present.Max());
    }
}
