using System.Globalization;
using System.Text;

namespace Medvis.Core.Data.Metadata;

/// <summary>What metadata keys can refer to: the dataset's image indices and, for image folders, file names.</summary>
/// <param name="ImageCount">Images in the dataset's train split; index keys run from 0 to this − 1.</param>
/// <param name="FileNames">Per image index its path below the dataset folder ("class/name.png"), or null when the
/// dataset has no file names (npz, the demo).</param>
public sealed record MetadataKeys(int ImageCount, IReadOnlyList<string>? FileNames = null);

/// <summary>
/// Reads a metadata CSV: a header row, then one row per image. The key column is the one named index, image,
/// image_id, file, file_name, filename or path (any case), else the first; a key is an image index, or a file name
/// (with or without its folder and extension, as HAM10000's <c>image_id</c>). Every other column becomes continuous
/// when all its present values are numbers, categorical when its text has at most
/// <see cref="MetadataLimits.MaxCategories"/> distinct values, else an identifier (HAM10000's <c>lesion_id</c>): kept,
/// shown and searched, never coloured by. Empty cells and NA, N/A, NaN, null are missing.
/// Commas, semicolons or tabs separate cells (whichever the header uses); quotes follow RFC 4180.
/// Every refusal is one line naming the file, the row and the problem or limit.
/// </summary>
public static class MetadataCsv
{
    private static readonly string[] KeyNames = ["index", "image_index", "dataset_index", "image", "image_id", "file", "file_name", "filename", "path"];
    private static readonly HashSet<string> MissingValues = new(["", "na", "n/a", "nan", "null"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Parses <paramref name="bytes"/> (UTF-8, with or without a byte-order mark) against the dataset's keys.</summary>
    /// <exception cref="DatasetFormatException">A malformed file, an unknown or duplicate key, or a limit on the file's size,
    /// rows, columns or cells passed.</exception>
    public static DatasetMetadata Parse(byte[] bytes, string fileName, MetadataKeys keys, MetadataLimits? limits = null)
    {
        limits = (limits ?? MetadataLimits.Default).Validate();
        var table = ReadTable(bytes, fileName, limits);
        var keyColumn = DefaultKeyColumn(table.Header);
        if (table.Rows.Count > keys.ImageCount)
            throw new DatasetFormatException(fileName, $"{table.Rows.Count} rows for a dataset of {keys.ImageCount} images: at most one row per image");
        var keyTexts = table.Rows.Select(r => (r.Cells[keyColumn], r.Line)).ToList();
        var (images, keyKind) = ResolveKeys(keyTexts, fileName, keys, table.Header[keyColumn]);
        return Build(table, keyColumn, keyKind, Enumerable.Range(0, table.Rows.Count).ToArray(), images, keys.ImageCount, new HashSet<int>(), limits);
    }

    /// <summary>
    /// Reads the CSV's header and rows (UTF-8, with or without a byte-order mark), checking the file's size, its
    /// columns, cells and rows against <paramref name="limits"/>; keys are not looked at.
    /// </summary>
    /// <exception cref="DatasetFormatException">A malformed file or a limit passed.</exception>
    public static CsvTable ReadTable(byte[] bytes, string fileName, MetadataLimits? limits = null)
    {
        limits = (limits ?? MetadataLimits.Default).Validate();
        if (bytes.LongLength > limits.MaxBytes)
            throw Over(fileName, $"a file of {bytes.LongLength} bytes", limits.MaxBytes, "bytes", nameof(MetadataLimits.MaxBytes));
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new DatasetFormatException(fileName, "is not UTF-8 text (save the CSV as UTF-8)");
        }
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];

        var rows = Records(text, fileName, limits).GetEnumerator();
        if (!rows.MoveNext()) throw new DatasetFormatException(fileName, "is empty: it needs a header row and one row per image");
        var header = rows.Current.Cells.Select(h => h.Trim()).ToArray();
        CheckHeader(header, fileName, limits);
        var data = new List<CsvRow>();
        while (rows.MoveNext())
        {
            var (row, line) = rows.Current;
            if (row.Length == 1 && row[0].Trim().Length == 0) continue;
            if (row.Length != header.Length)
                throw new DatasetFormatException(fileName, $"line {line}: {row.Length} cells, but the header has {header.Length}");
            if (data.Count == limits.MaxRows)
                throw Over(fileName, $"more than {limits.MaxRows} rows", limits.MaxRows, "rows", nameof(MetadataLimits.MaxRows));
            data.Add(new CsvRow(row.Select(c => c.Trim()).ToArray(), line));
        }
        if (data.Count == 0) throw new DatasetFormatException(fileName, "has a header but no rows");
        return new CsvTable(fileName, header, data);
    }

    /// <summary>Reads the CSV file at <paramref name="path"/> as <see cref="ReadTable"/> does, refusing it by size before reading.</summary>
    /// <exception cref="DatasetFormatException">A missing or malformed file, or a limit passed.</exception>
    public static CsvTable ReadTableFile(string path, MetadataLimits? limits = null)
    {
        limits = (limits ?? MetadataLimits.Default).Validate();
        if (!File.Exists(path)) throw new DatasetFormatException(path, "file not found");
        var length = new FileInfo(path).Length;
        if (length > limits.MaxBytes) throw Over(path, $"a file of {length} bytes", limits.MaxBytes, "bytes", nameof(MetadataLimits.MaxBytes));
        return ReadTable(File.ReadAllBytes(path), path, limits);
    }

    /// <summary>The key column when none is named: the first named index, image, image_id, file, … (any case), else the first.</summary>
    public static int DefaultKeyColumn(IReadOnlyList<string> header)
    {
        for (var c = 0; c < header.Count; c++)
            if (KeyNames.Contains(header[c], StringComparer.OrdinalIgnoreCase)) return c;
        return 0;
    }

    /// <summary>Whether a cell counts as missing: empty, NA, N/A, NaN or null (any case).</summary>
    public static bool IsMissing(string cell) => MissingValues.Contains(cell.Trim());

    /// <summary>
    /// The metadata of the given rows of <paramref name="table"/>, row <c>rows[r]</c> describing image
    /// <c>images[r]</c> (distinct): every column but the key and <paramref name="skipColumns"/>, each typed as
    /// continuous, categorical or identifier by the rule of <see cref="Parse"/>.
    /// </summary>
    public static DatasetMetadata Build(CsvTable table, int keyColumn, string keyKind, IReadOnlyList<int> rows, int[] images, int imageCount,
        IReadOnlySet<int> skipColumns, MetadataLimits? limits = null)
    {
        limits = (limits ?? MetadataLimits.Default).Validate();
        var columns = new List<MetadataColumn>();
        for (var c = 0; c < table.Header.Count; c++)
        {
            if (c == keyColumn || skipColumns.Contains(c)) continue;
            var cells = rows.Select(r => table.Rows[r].Cells[c]).ToList();
            columns.Add(Column(table.Header[c], cells, images, imageCount, limits));
        }
        return new DatasetMetadata
        {
            FileName = Path.GetFileName(table.FileName),
            KeyColumn = table.Header[keyColumn],
            KeyKind = keyKind,
            ImageCount = imageCount,
            RowCount = rows.Count,
            Columns = columns,
        };
    }

    private static void CheckHeader(string[] header, string fileName, MetadataLimits limits)
    {
        if (header.Length > limits.MaxColumns)
            throw Over(fileName, $"{header.Length} columns", limits.MaxColumns, "columns", nameof(MetadataLimits.MaxColumns));
        if (header.Length < 2)
            throw new DatasetFormatException(fileName, "needs a key column (image index or file name) and at least one more column, separated by commas");
        for (var c = 0; c < header.Length; c++)
        {
            if (header[c].Length == 0) throw new DatasetFormatException(fileName, $"line 1: column {c + 1} has no name");
            var first = Array.FindIndex(header, h => string.Equals(h, header[c], StringComparison.OrdinalIgnoreCase));
            if (first != c) throw new DatasetFormatException(fileName, $"line 1: column name \"{header[c]}\" appears twice (columns {first + 1} and {c + 1})");
        }
    }

    /// <summary>The image index of each row, and whether keys were indices or file names.</summary>
    private static (int[] Images, string Kind) ResolveKeys(List<(string Key, int Line)> keys, string fileName, MetadataKeys dataset, string keyHeader)
    {
        var images = new int[keys.Count];
        var asIndices = keys.All(k => int.TryParse(k.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _));
        var names = asIndices ? null : NameIndex(dataset.FileNames, fileName, keyHeader);
        var seen = new Dictionary<int, int>();
        for (var r = 0; r < keys.Count; r++)
        {
            var (key, line) = keys[r];
            if (key.Length == 0) throw new DatasetFormatException(fileName, $"line {line}: the key column \"{keyHeader}\" is empty");
            int image;
            if (asIndices)
            {
                image = int.Parse(key, NumberStyles.None, CultureInfo.InvariantCulture);
                if (image >= dataset.ImageCount)
                    throw new DatasetFormatException(fileName, $"line {line}: unknown key {key}: the dataset's image indices run from 0 to {dataset.ImageCount - 1}");
            }
            else if ((image = names!.Find(key)) == ImageNameIndex.Unknown)
                throw new DatasetFormatException(fileName, $"line {line}: unknown key \"{Shorten(key)}\": no image of the dataset has that file name");
            else if (image < 0)
                throw new DatasetFormatException(fileName, $"line {line}: key \"{Shorten(key)}\" names more than one image; use the path below the dataset folder (class/file)");
            if (seen.TryGetValue(image, out var earlier))
                throw new DatasetFormatException(fileName, $"line {line}: duplicate key \"{Shorten(key)}\": line {earlier} describes the same image");
            seen[image] = line;
            images[r] = image;
        }
        return (images, asIndices ? "image index" : "file name");
    }

    /// <summary>The names keys may use; a one-line refusal for a dataset without file names.</summary>
    private static ImageNameIndex NameIndex(IReadOnlyList<string>? fileNames, string fileName, string keyHeader) =>
        fileNames is null
            ? throw new DatasetFormatException(fileName,
                $"the key column \"{keyHeader}\" holds names, but this dataset's images have no file names: use image indices (0, 1, 2, …, as in the map's coordinates CSV)")
            : new ImageNameIndex(fileNames);

    private static MetadataColumn Column(string name, List<string> cells, int[] images, int imageCount, MetadataLimits limits)
    {
        var present = cells.Where(c => !MissingValues.Contains(c)).ToList();
        var numeric = present.Count > 0 && present.All(c => TryNumber(c, out _));
        if (numeric)
        {
            var values = new double[imageCount];
            Array.Fill(values, double.NaN);
            for (var r = 0; r < cells.Count; r++)
                if (!MissingValues.Contains(cells[r])) values[images[r]] = Number(cells[r]);
            return new MetadataColumn { Name = name, Kind = MetadataColumnKind.Continuous, Values = values };
        }
        var distinct = present.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count > limits.MaxCategories) return IdentifierColumn(name, cells, images, imageCount);
        var categories = distinct.Order(StringComparer.OrdinalIgnoreCase).ToList();
        var code = categories.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var codes = new int[imageCount];
        Array.Fill(codes, -1);
        for (var r = 0; r < cells.Count; r++)
            if (!MissingValues.Contains(cells[r])) codes[images[r]] = code[cells[r]];
        return new MetadataColumn { Name = name, Kind = MetadataColumnKind.Categorical, Categories = categories, Codes = codes };
    }

    /// <summary>A text column with more distinct values than a legend holds: each image keeps its value as it is.</summary>
    private static MetadataColumn IdentifierColumn(string name, List<string> cells, int[] images, int imageCount)
    {
        var identifiers = new string?[imageCount];
        for (var r = 0; r < cells.Count; r++)
            if (!MissingValues.Contains(cells[r])) identifiers[images[r]] = cells[r];
        return new MetadataColumn { Name = name, Kind = MetadataColumnKind.Identifier, Identifiers = identifiers };
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The CSV's records with the line each starts on; the separator is the one the header line uses most.</summary>
    private static IEnumerable<(string[] Cells, int Line)> Records(string text, string fileName, MetadataLimits limits)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var firstLine = end >= 0 ? text[..end] : text;
        var separator = new[] { ',', ';', '\t' }.MaxBy(s => firstLine.Count(c => c == s));
        var cells = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var i = 0;
        while (i < text.Length)
        {
            var quoted = false;
            cell.Clear();
            if (text[i] == '"')
            {
                quoted = true;
                i++;
                while (true)
                {
                    if (i >= text.Length) throw new DatasetFormatException(fileName, $"line {recordLine}: a quoted cell is never closed");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    if (text[i] == '\n') line++;
                    cell.Append(text[i++]);
                    CheckCell(cell, recordLine, fileName, limits);
                }
            }
            while (i < text.Length && text[i] != separator && text[i] != '\n' && text[i] != '\r')
            {
                if (quoted && !char.IsWhiteSpace(text[i]))
                    throw new DatasetFormatException(fileName, $"line {recordLine}: text after a closing quote");
                cell.Append(text[i++]);
                CheckCell(cell, recordLine, fileName, limits);
            }
            cells.Add(cell.ToString());
            if (cells.Count > limits.MaxColumns)
                throw Over(fileName, $"line {recordLine}: more than {limits.MaxColumns} cells", limits.MaxColumns, "columns", nameof(MetadataLimits.MaxColumns));
            if (i < text.Length && text[i] == separator) { i++; if (i == text.Length) { cells.Add(""); yield return ([.. cells], recordLine); } continue; }
            // End of a record: \r\n, \n or \r.
            if (i < text.Length && text[i] == '\r') i++;
            if (i < text.Length && text[i] == '\n') i++;
            yield return ([.. cells], recordLine);
            cells.Clear();
            line++;
            recordLine = line;
        }
    }

    private static void CheckCell(StringBuilder cell, int line, string fileName, MetadataLimits limits)
    {
        if (cell.Length > limits.MaxCellLength)
            throw Over(fileName, $"line {line}: a cell of more than {limits.MaxCellLength} characters", limits.MaxCellLength, "characters",
                nameof(MetadataLimits.MaxCellLength));
    }

    private static string Shorten(string key) => key.Length <= 80 ? key : key[..77] + "…";

    private static DatasetFormatException Over(string fileName, string what, long limit, string unit, string setting) =>
        new(fileName, $"{what} is over the limit of {limit} {unit} ({MetadataLimits.HowToRaise(setting)})");
}
