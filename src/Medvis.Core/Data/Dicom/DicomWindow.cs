using System.Globalization;

namespace Medvis.Core.Data.Dicom;

/// <summary>
/// The window a dataset's grey DICOM images are shown through, in rescaled units (after slope and intercept). A
/// folder spec carries an override as <c>&lt;folder&gt;|window=40,400</c> (centre, width) or <c>|window=minmax</c>;
/// without one every file's own window is used.
/// </summary>
/// <param name="Mode">Where the window comes from.</param>
/// <param name="Center">Window centre of a <see cref="DicomWindowMode.Fixed"/> window.</param>
/// <param name="Width">Window width (≥ 1) of a <see cref="DicomWindowMode.Fixed"/> window.</param>
public sealed record DicomWindow(DicomWindowMode Mode, double Center = 0, double Width = 1)
{
    /// <summary>The spec part that names an override.</summary>
    public const string SpecPart = "window=";

    /// <summary>Each file's own window (the default).</summary>
    public static DicomWindow FromFile { get; } = new(DicomWindowMode.FromFile);

    /// <summary>"minmax" or "centre,width" (e.g. "40,400"), as a spec writes it.</summary>
    public override string ToString() => Mode switch
    {
        DicomWindowMode.MinMax => "minmax",
        DicomWindowMode.Fixed => string.Create(CultureInfo.InvariantCulture, $"{Center},{Width}"),
        _ => "file",
    };

    /// <summary>Reads "file", "minmax" or "centre,width".</summary>
    /// <exception cref="ArgumentException">For anything else, or a width below 1.</exception>
    public static DicomWindow Parse(string text)
    {
        var trimmed = text.Trim().ToLowerInvariant();
        if (trimmed == "file") return FromFile;
        if (trimmed == "minmax") return new DicomWindow(DicomWindowMode.MinMax);
        var parts = trimmed.Split(',');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var center) && double.IsFinite(center)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var width) && double.IsFinite(width))
            return width >= 1 ? new DicomWindow(DicomWindowMode.Fixed, center, width)
                : throw new ArgumentException($"a DICOM window's width must be at least 1, not {parts[1]}");
        throw new ArgumentException($"a DICOM window is \"file\", \"minmax\" or \"centre,width\" (e.g. 40,400), not \"{text}\"");
    }

    /// <summary>
    /// Splits a <c>|window=…</c> part off a dataset spec: the spec without it, and the window it names (null when none).
    /// </summary>
    /// <exception cref="DatasetFormatException">The part is there but does not parse.</exception>
    public static (string Spec, DicomWindow? Window) SplitSpec(string spec)
    {
        var parts = spec.Split('|');
        var index = Array.FindIndex(parts, 1, p => p.Trim().StartsWith(SpecPart, StringComparison.Ordinal));
        if (index < 0) return (spec, null);
        try
        {
            var window = Parse(parts[index].Trim()[SpecPart.Length..]);
            return (string.Join('|', parts.Where((_, i) => i != index)), window);
        }
        catch (ArgumentException e)
        {
            throw new DatasetFormatException(parts[0], e.Message, e);
        }
    }

    /// <summary><paramref name="spec"/> with this window as its <c>|window=…</c> part; unchanged for <see cref="FromFile"/>.</summary>
    public string AppendTo(string spec) => Mode == DicomWindowMode.FromFile ? spec : $"{spec}|{SpecPart}{this}";
}
