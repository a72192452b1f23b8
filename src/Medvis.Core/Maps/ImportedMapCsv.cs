using System.Globalization;
using Medvis.Core.Data;
using Medvis.Core.Evaluation;

namespace Medvis.Core.Maps;

/// <summary>
/// Reads a map computed elsewhere from CSV: one row per point with its image index and two coordinates. Accepted
/// shapes, so that what Python writes by default loads as it is:
/// <list type="bullet">
/// <item>a header naming the columns <c>index</c>, <c>x</c>, <c>y</c> (any order; <c>label</c> and <c>class</c>
/// optional, other columns ignored);</item>
/// <item>pandas' <c>DataFrame.to_csv()</c>: an unnamed first column is the index, and columns <c>0</c>, <c>1</c> stand
/// for x and y when no <c>x</c>, <c>y</c> are named;</item>
/// <item>no header: index, x, y and optionally a label, in that order (NumPy's <c>savetxt</c>, whose integral
/// floats such as <c>5.000e+00</c> are taken as indices).</item>
/// </list>
/// Labels may be class numbers or class names. Every refusal is one line naming the file and line.
/// </summary>
public static class ImportedMapCsv
{
    /// <summary>Longest line read; real rows are a few dozen characters.</summary>
    public const int MaxLineLength = 10_000;

    /// <summary>Reads the map in <paramref name="path"/>; see <see cref="Read(TextReader, string, InputLimits, int?)"/>.</summary>
    public static ImportedMap Read(string path, InputLimits limits, int? imageCount = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        using var reader = new StreamReader(path);
        return Read(reader, Path.GetFileName(path), limits, imageCount);
    }

    /// <summary>
    /// Reads a map. <paramref name="imageCount"/> is the size of the dataset split the indices refer to (null: a map
    /// without images, where any index that is not negative works).
    /// </summary>
    /// <exception cref="FormatException">A malformed row (one line: "source:line: what is wrong").</exception>
    /// <exception cref="DatasetFormatException">More points or classes than <paramref name="limits"/> allow.</exception>
    public static ImportedMap Read(TextReader reader, string source, InputLimits limits, int? imageCount = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(limits);
        var lineNumber = 0;
        string? first;
        do
        {
            first = NextLine(reader, source, ref lineNumber);
            if (first is null) throw new FormatException($"{source}: the file holds no points (expected rows of index,x,y).");
        }
        while (first.Trim().Length == 0);

        var firstFields = Split(first);
        var layout = IsHeader(firstFields) ? Layout.FromHeader(firstFields, source) : Layout.Headerless(firstFields.Count, source, lineNumber);
        var rows = new Rows();
        if (!layout.HasHeader) rows.Add(firstFields, layout, source, lineNumber, limits, imageCount);
        while (NextLine(reader, source, ref lineNumber) is { } line)
        {
            if (line.Trim().Length == 0) continue;
            rows.Add(Split(line), layout, source, lineNumber, limits, imageCount);
        }
        if (rows.Count == 0) throw new FormatException($"{source}: the file holds a header but no points.");
        return rows.ToMap(source, layout);
    }

    private static string? NextLine(TextReader reader, string source, ref int lineNumber)
    {
        var line = reader.ReadLine();
        if (line is null) return null;
        lineNumber++;
        if (line.Length > MaxLineLength)
            throw new FormatException($"{source}:{lineNumber}: the line has {line.Length:N0} characters, more than {MaxLineLength:N0} (is this a CSV of index,x,y?).");
        return line;
    }

    // A header is a first line whose first three fields are not all numbers.
    private static bool IsHeader(List<string> fields) =>
        fields.Count < 3 || !fields.Take(3).All(f => double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out _));

    private static List<string> Split(string line)
    {
        if (line.Contains('"')) return CoordsCsv.SplitLine(line).Select(f => f.Trim()).ToList();
        var fields = new List<string>(4);
        var span = line.AsSpan();
        while (true)
        {
            var comma = span.IndexOf(',');
            if (comma < 0) { fields.Add(span.Trim().ToString()); return fields; }
            fields.Add(span[..comma].Trim().ToString());
            span = span[(comma + 1)..];
        }
    }

    /// <summary>Where the columns are, and how many fields each row has.</summary>
    private sealed record Layout(bool HasHeader, int Fields, int IndexAt, int XAt, int YAt, int LabelAt, int ClassAt)
    {
        public static Layout FromHeader(List<string> header, string source)
        {
            var names = header.Select(h => h.Trim().ToLowerInvariant()).ToList();
            int At(params string[] candidates) => candidates.Select(c => names.IndexOf(c)).FirstOrDefault(i => i >= 0, -1);
            var index = At("index", "idx", "image_index", "image");
            // pandas writes its row index as an unnamed first column ("" or, read back and written again, "unnamed: 0").
            if (index < 0 && names[0] is "" or "unnamed: 0") index = 0;
            var x = At("x", "x1", "dim1");
            var y = At("y", "x2", "dim2");
            if (x < 0 && y < 0) (x, y) = (At("0"), At("1"));
            if (index < 0) throw new FormatException($"{source}:1: the header '{string.Join(',', header)}' has no 'index' column (expected index,x,y).");
            if (x < 0 || y < 0) throw new FormatException($"{source}:1: the header '{string.Join(',', header)}' lacks the '{(x < 0 ? "x" : "y")}' column (expected index,x,y).");
            if (index == x || index == y) throw new FormatException($"{source}:1: the header uses one column for both the index and a coordinate.");
            return new Layout(true, header.Count, index, x, y, At("label", "labels", "target"), At("class", "class_name", "classname"));
        }

        public static Layout Headerless(int fields, string source, int line) => fields >= 3
            ? new Layout(false, fields, 0, 1, 2, fields >= 4 ? 3 : -1, -1)
            : throw new FormatException($"{source}:{line}: {fields} field(s) where index,x,y needs 3.");
    }

    /// <summary>The points read so far, growing as rows come.</summary>
    private sealed class Rows
    {
        private int[] _indices = new int[1024];
        private float[] _x = new float[1024];
        private float[] _y = new float[1024];
        private int[] _lines = new int[1024];
        private int[]? _numericLabels;
        private int[]? _textLabels;
        private readonly Dictionary<string, int> _labelTexts = new(StringComparer.Ordinal);
        private readonly Dictionary<int, string> _classNames = [];
        private bool _labelsAreText;

        public int Count { get; private set; }

        public void Add(List<string> fields, Layout layout, string source, int line, InputLimits limits, int? imageCount)
        {
            if (fields.Count != layout.Fields)
                throw new FormatException($"{source}:{line}: {fields.Count} field(s) where {(layout.HasHeader ? "the header has" : "the first row has")} {layout.Fields}.");
            if (Count == limits.MaxMapPoints)
                throw InputLimits.Exceeded(source, $"more than {limits.MaxMapPoints:N0} points", limits.MaxMapPoints, "points", nameof(InputLimits.MaxMapPoints));
            Grow();
            var index = ParseIndex(fields[layout.IndexAt], source, line);
            if (imageCount is { } images && index >= images)
                throw new FormatException($"{source}:{line}: index {index} is outside the dataset's {images:N0} images (0 to {images - 1}).");
            _indices[Count] = index;
            _x[Count] = ParseCoordinate(fields[layout.XAt], source, line, "x");
            _y[Count] = ParseCoordinate(fields[layout.YAt], source, line, "y");
            _lines[Count] = line;
            if (layout.LabelAt >= 0) AddLabel(fields[layout.LabelAt], source, line, limits);
            else if (layout.ClassAt >= 0) AddLabel(fields[layout.ClassAt], source, line, limits, textOnly: true);
            if (layout.ClassAt >= 0 && layout.LabelAt >= 0 && !_labelsAreText)
                _classNames.TryAdd(_numericLabels![Count], fields[layout.ClassAt]);
            Count++;
        }

        private void AddLabel(string field, string source, int line, InputLimits limits, bool textOnly = false)
        {
            _numericLabels ??= new int[_x.Length];
            _textLabels ??= new int[_x.Length];
            if (field.Length == 0) throw new FormatException($"{source}:{line}: the label is empty.");
            if (!_labelsAreText && !textOnly && int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var label))
            {
                if (label < 0) throw new FormatException($"{source}:{line}: label {label} is negative.");
                if (label >= limits.MaxClasses)
                    throw InputLimits.Exceeded(source, $"line {line}: label {label}", limits.MaxClasses, "classes", nameof(InputLimits.MaxClasses));
                _numericLabels[Count] = label;
            }
            else _labelsAreText = true;
            if (!_labelTexts.TryGetValue(field, out var id))
            {
                if (_labelTexts.Count == limits.MaxClasses)
                    throw InputLimits.Exceeded(source, $"line {line}: more than {limits.MaxClasses} different labels", limits.MaxClasses, "classes", nameof(InputLimits.MaxClasses));
                _labelTexts[field] = id = _labelTexts.Count;
            }
            _textLabels[Count] = id;
        }

        private void Grow()
        {
            if (Count < _x.Length) return;
            var size = (int)Math.Min(Array.MaxLength, _x.Length * 2L);
            Array.Resize(ref _indices, size);
            Array.Resize(ref _x, size);
            Array.Resize(ref _y, size);
            Array.Resize(ref _lines, size);
            if (_numericLabels is not null) Array.Resize(ref _numericLabels, size);
            if (_textLabels is not null) Array.Resize(ref _textLabels, size);
        }

        public ImportedMap ToMap(string source, Layout layout)
        {
            var indices = _indices[..Count];
            RequireDistinct(indices, _lines, source);
            int[]? labels = null;
            string[]? names = null;
            if (layout.LabelAt >= 0 || layout.ClassAt >= 0)
            {
                if (_labelsAreText || layout.LabelAt < 0)
                {
                    // Class names sorted, so the class numbers do not depend on the order of the rows.
                    names = _labelTexts.Keys.Order(StringComparer.Ordinal).ToArray();
                    var renumber = new int[names.Length];
                    for (var c = 0; c < names.Length; c++) renumber[_labelTexts[names[c]]] = c;
                    labels = _textLabels![..Count].Select(t => renumber[t]).ToArray();
                }
                else
                {
                    labels = _numericLabels![..Count];
                    names = Enumerable.Range(0, labels.Max() + 1).Select(c => _classNames.GetValueOrDefault(c, $"class {c}")).ToArray();
                }
            }
            return new ImportedMap(indices, _x[..Count], _y[..Count], labels, names);
        }

        // Sorting a copy finds a repeated index in O(n log n) without a hash set of millions of entries.
        private void RequireDistinct(int[] indices, int[] lines, string source)
        {
            var sorted = (int[])indices.Clone();
            var at = lines[..Count];
            Array.Sort(sorted, at);
            for (var i = 1; i < sorted.Length; i++)
                if (sorted[i] == sorted[i - 1])
                    throw new FormatException($"{source}:{Math.Max(at[i], at[i - 1])}: index {sorted[i]} appears twice (also on line {Math.Min(at[i], at[i - 1])}).");
        }
    }

    private static int ParseIndex(string field, string source, int line)
    {
        if (int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index))
            return index >= 0 ? index : throw new FormatException($"{source}:{line}: index {index} is negative.");
        // NumPy's savetxt writes every column as a float: accept whole numbers such as 5.000000000000000000e+00.
        if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            && value == Math.Floor(value) && value is >= 0 and <= int.MaxValue)
            return (int)value;
        throw new FormatException($"{source}:{line}: '{Shorten(field)}' in column 'index' is not an image index (a whole number from 0).");
    }

    private static float ParseCoordinate(string field, string source, int line, string column) =>
        float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && float.IsFinite(value) ? value
            : throw new FormatException($"{source}:{line}: '{Shorten(field)}' in column '{column}' is not a finite number.");

    private static string Shorten(string field) => field.Length <= 40 ? field : field[..40] + "…";
}
