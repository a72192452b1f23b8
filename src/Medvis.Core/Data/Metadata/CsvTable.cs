namespace Medvis.Core.Data.Metadata;

/// <summary>A CSV as <see cref="MetadataCsv.ReadTable"/> read it: trimmed, unique column names and rows of as many cells.</summary>
/// <param name="FileName">The file's name, for messages.</param>
/// <param name="Header">Column names, in file order.</param>
/// <param name="Rows">Data rows (blank lines left out), each with the line it starts on.</param>
public sealed record CsvTable(string FileName, IReadOnlyList<string> Header, IReadOnlyList<CsvRow> Rows)
{
    /// <summary>The index of the column named <paramref name="name"/> (any case), or −1.</summary>
    public int ColumnIndex(string name)
    {
        for (var c = 0; c < Header.Count; c++)
            if (string.Equals(Header[c], name, StringComparison.OrdinalIgnoreCase)) return c;
        return -1;
    }

    /// <summary>The index of the column named <paramref name="name"/>; a one-line error listing the columns when there is none.</summary>
    /// <exception cref="DatasetFormatException">No column has that name.</exception>
    public int RequireColumn(string name, string role)
    {
        var index = ColumnIndex(name.Trim());
        return index >= 0 ? index
            : throw new DatasetFormatException(FileName, $"no column \"{name}\" for the {role} (columns: {string.Join(", ", Header)})");
    }
}
