namespace Medvis.Core.Data.LabelTables;

/// <summary>
/// A folder of images whose classes come from a table, written as one dataset spec so that everything that
/// stores or passes a spec (run cards, registered datasets, queued runs, workers) carries the labels too:
/// <c>&lt;folder&gt;|labels=&lt;csv&gt;|label=&lt;column&gt;[|key=&lt;column&gt;][|group=&lt;column&gt;]</c>.
/// </summary>
public sealed record LabelledFolderSpec(string Folder, LabelTableSpec Labels)
{
    /// <summary>Separates the parts of the spec; no path or column in it may contain it.</summary>
    public const char Separator = '|';

    /// <summary>The spec's text.</summary>
    public string ToSpec()
    {
        if (Folder.Contains(Separator)) throw new ArgumentException($"{Folder}: a labelled folder's path may not contain '{Separator}'.");
        Labels.Validate();
        var spec = $"{Folder}{Separator}labels={Labels.CsvPath}{Separator}label={Labels.LabelColumn}";
        if (Labels.KeyColumn is { } key) spec += $"{Separator}key={key}";
        if (Labels.GroupColumn is { } group) spec += $"{Separator}group={group}";
        return spec;
    }

    /// <summary>Reads what <see cref="ToSpec"/> wrote; null for any other spec.</summary>
    /// <exception cref="DatasetFormatException">The spec has the form but a part is missing or unknown.</exception>
    public static LabelledFolderSpec? TryParse(string spec)
    {
        var parts = spec.Split(Separator);
        if (parts.Length < 2 || !parts[1].StartsWith("labels=", StringComparison.Ordinal)) return null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts.Skip(1))
        {
            // The folder's DICOM window is the folder's own option, read by DicomWindow.SplitSpec.
            if (part.Trim().StartsWith(Dicom.DicomWindow.SpecPart, StringComparison.Ordinal)) continue;
            var equals = part.IndexOf('=');
            var name = equals > 0 ? part[..equals] : part;
            if (name is not ("labels" or "label" or "key" or "group") || !values.TryAdd(name, part[(equals + 1)..].Trim()))
                throw new DatasetFormatException(parts[0], $"unknown or repeated part \"{part}\" of a labelled folder spec (expected labels=, label=, key=, group=)");
        }
        if (!values.TryGetValue("label", out var label) || label.Length == 0)
            throw new DatasetFormatException(parts[0], "a labelled folder spec needs label=<column>");
        return new LabelledFolderSpec(parts[0].Trim(),
            new LabelTableSpec(values["labels"], label, values.GetValueOrDefault("key"), values.GetValueOrDefault("group")));
    }
}
