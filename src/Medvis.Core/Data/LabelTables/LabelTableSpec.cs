namespace Medvis.Core.Data.LabelTables;

/// <summary>
/// Where an image folder's labels come from: a CSV, the column naming each image (its key), the column whose value
/// is the image's class, and optionally a column grouping images that must stay together when the evaluation
/// splits (HAM10000's <c>lesion_id</c>: several photos of one lesion).
/// </summary>
/// <param name="CsvPath">The CSV file.</param>
/// <param name="LabelColumn">The column holding each image's class (HAM10000's <c>dx</c>).</param>
/// <param name="KeyColumn">The column naming each image; null picks it as the metadata upload does (image_id, file, path, … else the first).</param>
/// <param name="GroupColumn">The column whose equal values the evaluation's splits keep on one side; null for none.</param>
public sealed record LabelTableSpec(string CsvPath, string LabelColumn, string? KeyColumn = null, string? GroupColumn = null)
{
    /// <summary>What the command line's <c>--labels</c> takes, for help texts.</summary>
    public const string OptionHelp = "file.csv:label_column, e.g. HAM10000_metadata.csv:dx (a folder of images, flat or nested, takes each image's class from the CSV)";

    /// <summary>Parses <c>file.csv:dx</c>, the column after the last colon; key and group columns come separately.</summary>
    /// <exception cref="ArgumentException">The text is not of that form or a column name is blank.</exception>
    public static LabelTableSpec Parse(string text, string? keyColumn = null, string? groupColumn = null)
    {
        var colon = text.LastIndexOf(':');
        var csv = colon > 0 ? text[..colon].Trim() : "";
        var label = colon > 0 ? text[(colon + 1)..].Trim() : "";
        if (csv.Length == 0 || label.Length == 0)
            throw new ArgumentException($"--labels '{text}': expected file.csv:label_column, e.g. HAM10000_metadata.csv:dx");
        return new LabelTableSpec(csv, label, Blank(keyColumn), Blank(groupColumn)).Validate();
    }

    /// <summary>Checks that the columns are named, distinct and free of the characters a dataset spec reserves.</summary>
    /// <exception cref="ArgumentException">One line naming the problem.</exception>
    public LabelTableSpec Validate()
    {
        if (string.IsNullOrWhiteSpace(CsvPath)) throw new ArgumentException("Labels from a table need a CSV file.");
        if (string.IsNullOrWhiteSpace(LabelColumn)) throw new ArgumentException($"{CsvPath}: name the label column.");
        var named = new[] { ("key", KeyColumn), ("label", LabelColumn), ("group", GroupColumn) }.Where(p => p.Item2 is not null).ToList();
        foreach (var (role, column) in named)
            if (column!.Contains(LabelledFolderSpec.Separator) || CsvPath.Contains(LabelledFolderSpec.Separator))
                throw new ArgumentException($"{CsvPath}: the {role} column and the file may not contain '{LabelledFolderSpec.Separator}'.");
        for (var a = 0; a < named.Count; a++)
            for (var b = a + 1; b < named.Count; b++)
                if (string.Equals(named[a].Item2!.Trim(), named[b].Item2!.Trim(), StringComparison.OrdinalIgnoreCase))
                    throw new ArgumentException($"{CsvPath}: the {named[a].Item1} and {named[b].Item1} columns must differ (both are \"{named[a].Item2}\").");
        return this;
    }

    /// <summary>How the labels are named in summaries: "ham.csv:dx".</summary>
    public string Describe() => $"{Path.GetFileName(CsvPath)}:{LabelColumn}";

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
