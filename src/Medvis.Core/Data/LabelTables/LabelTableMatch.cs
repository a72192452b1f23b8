using System.Globalization;
using Medvis.Core.Data.Metadata;

namespace Medvis.Core.Data.LabelTables;

/// <summary>
/// A folder's image files matched to a label table's rows by the metadata upload's naming rule
/// (<see cref="ImageNameIndex"/>). Nothing is dropped silently: images without a row, rows without an image and
/// images whose label is empty are each counted and named in one summary line; only images with a label are
/// trained on and mapped.
/// </summary>
public sealed class LabelTableMatch
{
    /// <summary>How many names a summary line shows before "…".</summary>
    public const int NamesShown = 5;

    private LabelTableMatch(LabelTableSpec spec, CsvTable table, int keyColumn, int labelColumn, int groupColumn,
        IReadOnlyList<LabelledImage> labelled, IReadOnlyList<string> imagesWithoutRow, IReadOnlyList<string> rowsWithoutImage,
        IReadOnlyList<string> emptyLabels, IReadOnlyList<string> emptyGroups)
    {
        Spec = spec;
        Table = table;
        KeyColumn = keyColumn;
        LabelColumn = labelColumn;
        GroupColumn = groupColumn;
        Labelled = labelled;
        ImagesWithoutRow = imagesWithoutRow;
        RowsWithoutImage = rowsWithoutImage;
        EmptyLabels = emptyLabels;
        EmptyGroups = emptyGroups;
    }

    public LabelTableSpec Spec { get; }
    public CsvTable Table { get; }
    public int KeyColumn { get; }
    public int LabelColumn { get; }
    /// <summary>The group column's index, −1 when none is named.</summary>
    public int GroupColumn { get; }
    /// <summary>Images with a row and a label, in file order.</summary>
    public IReadOnlyList<LabelledImage> Labelled { get; }
    /// <summary>Files no row names (paths below the folder).</summary>
    public IReadOnlyList<string> ImagesWithoutRow { get; }
    /// <summary>Keys of rows that name no file.</summary>
    public IReadOnlyList<string> RowsWithoutImage { get; }
    /// <summary>Files whose row leaves the label empty.</summary>
    public IReadOnlyList<string> EmptyLabels { get; }
    /// <summary>Labelled files whose row leaves the group empty (each then forms a group of its own).</summary>
    public IReadOnlyList<string> EmptyGroups { get; }

    /// <summary>The class names, sorted as the metadata upload sorts categories (case-insensitive, then ordinal).</summary>
    public IReadOnlyList<string> ClassNames() =>
        Labelled.Select(l => l.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.OrdinalIgnoreCase).ThenBy(l => l, StringComparer.Ordinal).ToList();

    /// <summary>Matches <paramref name="table"/> to <paramref name="fileNames"/> (paths below the folder, in file order).</summary>
    /// <exception cref="DatasetFormatException">A named column is missing, a key names two files or two rows name one file, or no image has a label.</exception>
    public static LabelTableMatch Build(CsvTable table, LabelTableSpec spec, IReadOnlyList<string> fileNames)
    {
        var keyColumn = spec.KeyColumn is { } key ? table.RequireColumn(key, "key") : MetadataCsv.DefaultKeyColumn(table.Header);
        var labelColumn = table.RequireColumn(spec.LabelColumn, "label");
        var groupColumn = spec.GroupColumn is { } group ? table.RequireColumn(group, "group") : -1;
        if (labelColumn == keyColumn)
            throw new DatasetFormatException(table.FileName, $"the label column \"{table.Header[labelColumn]}\" is also the key column; name the key column");
        if (groupColumn == keyColumn || groupColumn == labelColumn)
            throw new DatasetFormatException(table.FileName, $"the group column \"{table.Header[groupColumn]}\" must differ from the key and label columns");

        var names = new ImageNameIndex(fileNames);
        var rowOfFile = new int[fileNames.Count];
        Array.Fill(rowOfFile, -1);
        var rowsWithoutImage = new List<string>();
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var row = table.Rows[r];
            var keyText = row.Cells[keyColumn];
            var file = keyText.Length == 0 ? ImageNameIndex.Unknown : names.Find(keyText);
            if (file == ImageNameIndex.Unknown) { rowsWithoutImage.Add(keyText.Length == 0 ? $"line {row.Line}: empty key" : keyText); continue; }
            if (file == ImageNameIndex.Ambiguous)
                throw new DatasetFormatException(table.FileName, $"line {row.Line}: key \"{keyText}\" names more than one image; use the path below the folder (sub/file)");
            if (rowOfFile[file] >= 0)
                throw new DatasetFormatException(table.FileName,
                    $"line {row.Line}: duplicate key \"{keyText}\": line {table.Rows[rowOfFile[file]].Line} describes the same image");
            rowOfFile[file] = r;
        }

        var labelled = new List<LabelledImage>();
        var withoutRow = new List<string>();
        var emptyLabels = new List<string>();
        var emptyGroups = new List<string>();
        for (var f = 0; f < fileNames.Count; f++)
        {
            if (rowOfFile[f] < 0) { withoutRow.Add(fileNames[f]); continue; }
            var cells = table.Rows[rowOfFile[f]].Cells;
            if (MetadataCsv.IsMissing(cells[labelColumn])) { emptyLabels.Add(fileNames[f]); continue; }
            var groupText = groupColumn >= 0 && !MetadataCsv.IsMissing(cells[groupColumn]) ? cells[groupColumn] : null;
            if (groupColumn >= 0 && groupText is null) emptyGroups.Add(fileNames[f]);
            labelled.Add(new LabelledImage(f, cells[labelColumn], groupText, rowOfFile[f]));
        }
        var match = new LabelTableMatch(spec, table, keyColumn, labelColumn, groupColumn, labelled, withoutRow, rowsWithoutImage, emptyLabels, emptyGroups);
        if (labelled.Count == 0)
            throw new DatasetFormatException(table.FileName, $"no image has a label: {string.Join("; ", match.SummaryLines())}");
        return match;
    }

    /// <summary>
    /// What the match kept and left out, one line each: the labelled images and classes, images without a row,
    /// rows without an image, empty labels, and with a group column the groups (and images without one).
    /// </summary>
    public IReadOnlyList<string> SummaryLines()
    {
        var label = Table.Header[LabelColumn];
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{Spec.Describe()}: {Labelled.Count:N0} images labelled in {ClassNames().Count} classes (key column {Table.Header[KeyColumn]})"),
            Line("images without a row", ImagesWithoutRow, "not trained on or mapped"),
            Line("rows without an image", RowsWithoutImage, "ignored"),
            Line($"images with an empty {label}", EmptyLabels, "not trained on or mapped"),
        };
        if (GroupColumn >= 0)
        {
            var groups = Labelled.Select(l => l.Group).Where(g => g is not null).Distinct(StringComparer.Ordinal).Count();
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"grouped by {Table.Header[GroupColumn]}: {groups:N0} groups; the evaluation keeps each group on one side of its splits"));
            if (EmptyGroups.Count > 0) lines.Add(Line($"images with an empty {Table.Header[GroupColumn]}", EmptyGroups, "each is a group of its own"));
        }
        return lines;
    }

    private static string Line(string what, IReadOnlyList<string> names, string consequence) => names.Count == 0
        ? $"{what}: none"
        : string.Create(CultureInfo.InvariantCulture,
            $"{what}: {names.Count:N0} ({string.Join(", ", names.Take(NamesShown))}{(names.Count > NamesShown ? ", …" : "")}), {consequence}");
}
