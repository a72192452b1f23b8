using System.Globalization;
using System.Text;

namespace Medvis.Core.Evaluation;

/// <summary>A labelled 2-D map as stored in coords.csv (columns index,label,class,x,y).</summary>
/// <param name="Indices">The "index" column: position of each point's image in its dataset split.</param>
/// <param name="ClassNames">Names by class index; a label never named in the file gets "class {label}".</param>
/// <param name="Labels">Class index per point.</param>
/// <param name="Coords">N×2 map coordinates.</param>
public sealed record MapCoordinates(int[] Indices, int[] Labels, IReadOnlyList<string> ClassNames, float[,] Coords)
{
    /// <summary>Per point, the file its image came from (folder datasets), or null: written as a <c>file</c> column.</summary>
    public IReadOnlyList<string>? FileNames { get; init; }

    /// <summary>
    /// Further per-point columns written after the others (e.g. <c>embed</c>'s judgement of each image against the
    /// training images), each a header name and one value per point; readers that do not know them skip them.
    /// </summary>
    public IReadOnlyList<(string Name, IReadOnlyList<string> Values)> ExtraColumns { get; init; } = [];
}

/// <summary>Reads and writes coords.csv, the map format shared by <c>medvis train</c>, <c>eval</c> and <c>baseline</c>.</summary>
public static class CoordsCsv
{
    /// <summary>The header line, in column order.</summary>
    public const string Header = "index,label,class,x,y";

    /// <summary>Writes one row per point to <paramref name="path"/>; see <see cref="Format"/>.</summary>
    public static void Write(string path, MapCoordinates map) => File.WriteAllText(path, Format(map, path));

    /// <summary>The CSV text: the header, then one row per point; class names are quoted where they hold commas or quotes.</summary>
    /// <param name="map">The map.</param>
    /// <param name="source">Names the map in an error message.</param>
    public static string Format(MapCoordinates map, string source = "map")
    {
        ArgumentNullException.ThrowIfNull(map);
        var n = map.Labels.Length;
        if (map.Coords.GetLength(0) != n || map.Indices.Length != n || map.Coords.GetLength(1) != 2)
            throw new ArgumentException($"{source}: a map needs N×2 coordinates, N labels and N indices ({map.Coords.GetLength(0)}×{map.Coords.GetLength(1)}, {n}, {map.Indices.Length}).");
        if (map.FileNames is { } files && files.Count != n) throw new ArgumentException($"{source}: {files.Count} file names for {n} points.");
        if (map.ExtraColumns.FirstOrDefault(c => c.Values.Count != n) is { Name: { } wrong } column)
            throw new ArgumentException($"{source}: column '{wrong}' has {column.Values.Count} values for {n} points.");
        var text = new StringBuilder(Header).Append(map.FileNames is null ? "" : ",file");
        foreach (var (name, _) in map.ExtraColumns) text.Append(',').Append(Quote(name));
        text.Append('\n');
        for (var i = 0; i < n; i++)
        {
            text.Append(map.Indices[i].ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(map.Labels[i].ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Quote(map.ClassNames[map.Labels[i]])).Append(',')
                .Append(map.Coords[i, 0].ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(map.Coords[i, 1].ToString("R", CultureInfo.InvariantCulture));
            if (map.FileNames is { } names) text.Append(',').Append(Quote(names[i]));
            foreach (var (_, values) in map.ExtraColumns) text.Append(',').Append(Quote(values[i]));
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Reads a coords.csv; columns are found by header name. Throws <see cref="FormatException"/> naming the file and line.</summary>
    public static MapCoordinates Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        var lines = File.ReadLines(path).Where(l => l.Length > 0).ToList();
        if (lines.Count < 2) throw new FormatException($"{path}: expected a header '{Header}' and at least one row.");
        var header = SplitLine(lines[0]).Select(h => h.Trim().ToLowerInvariant()).ToList();
        int Column(string name) => header.IndexOf(name) is var at and >= 0 ? at
            : throw new FormatException($"{path}: header lacks the '{name}' column (expected '{Header}').");
        int xAt = Column("x"), yAt = Column("y"), labelAt = Column("label");
        var indexAt = header.IndexOf("index");
        var classAt = header.IndexOf("class");
        var fileAt = header.IndexOf("file");

        var n = lines.Count - 1;
        var coords = new float[n, 2];
        var labels = new int[n];
        var indices = new int[n];
        var names = new Dictionary<int, string>();
        var files = fileAt >= 0 ? new string[n] : null;
        for (var row = 0; row < n; row++)
        {
            var fields = SplitLine(lines[row + 1]);
            if (fields.Count != header.Count)
                throw new FormatException($"{path}:{row + 2}: {fields.Count} fields where the header has {header.Count}.");
            coords[row, 0] = ParseFloat(fields[xAt], path, row, "x");
            coords[row, 1] = ParseFloat(fields[yAt], path, row, "y");
            labels[row] = ParseInt(fields[labelAt], path, row, "label");
            if (labels[row] < 0) throw new FormatException($"{path}:{row + 2}: label {labels[row]} is negative.");
            indices[row] = indexAt >= 0 ? ParseInt(fields[indexAt], path, row, "index") : row;
            if (classAt >= 0) names.TryAdd(labels[row], fields[classAt]);
            if (files is not null) files[row] = fields[fileAt];
        }
        var classNames = Enumerable.Range(0, labels.Max() + 1)
            .Select(c => names.GetValueOrDefault(c, $"class {c}")).ToArray();
        return new MapCoordinates(indices, labels, classNames, coords) { FileNames = files };
    }

    /// <summary>
    /// Labels from a separate CSV with a 'label' column (and optionally 'class' and 'index'). With an 'index'
    /// column rows are matched to the map by index, otherwise by position.
    /// </summary>
    public static MapCoordinates WithLabelsFrom(MapCoordinates map, string labelsPath)
    {
        if (!File.Exists(labelsPath)) throw new FileNotFoundException($"{labelsPath}: file not found.", labelsPath);
        var lines = File.ReadLines(labelsPath).Where(l => l.Length > 0).ToList();
        if (lines.Count < 2) throw new FormatException($"{labelsPath}: expected a header with a 'label' column and at least one row.");
        var header = SplitLine(lines[0]).Select(h => h.Trim().ToLowerInvariant()).ToList();
        var labelAt = header.IndexOf("label");
        if (labelAt < 0) throw new FormatException($"{labelsPath}: header lacks the 'label' column.");
        var indexAt = header.IndexOf("index");
        var classAt = header.IndexOf("class");
        var fileAt = header.IndexOf("file");
        var byIndex = new Dictionary<int, int>();
        var inOrder = new List<int>();
        var names = new Dictionary<int, string>();
        for (var row = 0; row < lines.Count - 1; row++)
        {
            var fields = SplitLine(lines[row + 1]);
            if (fields.Count != header.Count)
                throw new FormatException($"{labelsPath}:{row + 2}: {fields.Count} fields where the header has {header.Count}.");
            var label = ParseInt(fields[labelAt], labelsPath, row, "label");
            if (label < 0) throw new FormatException($"{labelsPath}:{row + 2}: label {label} is negative.");
            if (indexAt >= 0) byIndex[ParseInt(fields[indexAt], labelsPath, row, "index")] = label;
            inOrder.Add(label);
            if (classAt >= 0) names.TryAdd(label, fields[classAt]);
        }
        int[] labels;
        if (indexAt >= 0)
            labels = map.Indices.Select(i => byIndex.TryGetValue(i, out var l) ? l
                : throw new FormatException($"{labelsPath}: no label for index {i}.")).ToArray();
        else if (inOrder.Count == map.Labels.Length)
            labels = inOrder.ToArray();
        else
            throw new FormatException($"{labelsPath}: {inOrder.Count} labels for {map.Labels.Length} points (add an 'index' column to match by index).");
        var classNames = Enumerable.Range(0, labels.Max() + 1)
            .Select(c => names.GetValueOrDefault(c, c < map.ClassNames.Count ? map.ClassNames[c] : $"class {c}")).ToArray();
        return map with { Labels = labels, ClassNames = classNames };
    }

    private static float ParseFloat(string field, string path, int row, string column) =>
        float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && float.IsFinite(value) ? value
            : throw new FormatException($"{path}:{row + 2}: '{field}' in column '{column}' is not a finite number.");

    private static int ParseInt(string field, string path, int row, string column) =>
        int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
            : throw new FormatException($"{path}:{row + 2}: '{field}' in column '{column}' is not an integer.");

    /// <summary>A CSV field as RFC 4180 writes it: quoted (with doubled quotes) where it holds a comma, quote or line break.</summary>
    public static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";

    /// <summary>RFC 4180 fields of one line (quoted fields may hold commas and doubled quotes).</summary>
    internal static List<string> SplitLine(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (ch != '\r') field.Append(ch);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
