using System.Globalization;

namespace Medvis.Core.Data.Dicom;

/// <summary>
/// The DICOM attributes that become metadata columns: acquisition and demographic ones worth colouring a map by.
/// Only these are ever read out of a file; Patient's Name, Patient ID and every other identifying attribute are
/// never copied, so they cannot reach a stored table, a hover or an export.
/// </summary>
internal static class DicomTags
{
    /// <summary>The columns, in order, with the attribute each is read from and how its text becomes the column's value.</summary>
    public static IReadOnlyList<(string Column, uint Tag, Func<string?, string> Value)> Columns { get; } =
    [
        ("Modality", 0x0008_0060, AsIs),
        ("BodyPartExamined", 0x0018_0015, AsIs),
        ("ViewPosition", 0x0018_5101, AsIs),
        ("PatientSex", 0x0010_0040, AsIs),
        ("PatientAge", 0x0010_1010, AgeInYears),
        ("Manufacturer", 0x0008_0070, AsIs),
        ("StudyYear", 0x0008_0020, Year),
    ];

    /// <summary>One value per <see cref="Columns"/> entry ("" when absent).</summary>
    public static string[] Read(DicomDataSet data) => Columns.Select(c => c.Value(data.Text(c.Tag))).ToArray();

    private static string AsIs(string? text) => text ?? "";

    /// <summary>An age string ("045Y", "006M", "003W", "010D") in years, so ages sort and colour as numbers; "" when unreadable.</summary>
    public static string AgeInYears(string? age)
    {
        if (age is not { Length: 4 } || !int.TryParse(age.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return "";
        double? years = char.ToUpperInvariant(age[3]) switch { 'Y' => n, 'M' => n / 12.0, 'W' => n * 7 / 365.25, 'D' => n / 365.25, _ => null };
        return years is { } y ? Math.Round(y, 2).ToString(CultureInfo.InvariantCulture) : "";
    }

    /// <summary>The year of a DA value ("20190317" → "2019"); "" when it does not start with four digits.</summary>
    public static string Year(string? date) =>
        date is { Length: >= 4 } && date[..4].All(char.IsAsciiDigit) ? date[..4] : "";
}
