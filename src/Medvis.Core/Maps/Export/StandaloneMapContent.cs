namespace Medvis.Core.Maps.Export;

/// <summary>
/// Everything a map exported as one HTML file shows: the points with their classes, optional names, colourings and
/// hover columns, the metrics and the reproducibility card, and the thumbnails (or why they were left out).
/// </summary>
/// <param name="Title">The page's title, e.g. the run's name.</param>
/// <param name="X">Map x per point.</param>
/// <param name="Y">Map y per point.</param>
/// <param name="Labels">Class index per point.</param>
/// <param name="ClassNames">Names of the classes, by index.</param>
public sealed record StandaloneMapContent(string Title, float[] X, float[] Y, int[] Labels, IReadOnlyList<string> ClassNames)
{
    /// <summary>One line under the title: where the map came from and when it was exported.</summary>
    public string Source { get; init; } = "";

    /// <summary>Per point, what the hover calls it (a file name or "image 12"); null: "point i".</summary>
    public IReadOnlyList<string>? PointNames { get; init; }

    /// <summary>Other ways to colour the map (metadata columns), offered beside "class".</summary>
    public IReadOnlyList<ExportColouring> Colourings { get; init; } = [];

    /// <summary>Per-point text columns the hover shows (metadata values, identifiers included).</summary>
    public IReadOnlyList<ExportHoverColumn> HoverColumns { get; init; } = [];

    /// <summary>Name and value rows of the metrics table, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metrics { get; init; } = [];

    /// <summary>The run's reproducibility card as JSON, or null.</summary>
    public string? CardJson { get; init; }

    /// <summary>The hover thumbnails, or null when left out.</summary>
    public ThumbnailAtlas? Thumbnails { get; init; }

    /// <summary>Why thumbnails were left out (shown in the file), or null.</summary>
    public string? ThumbnailNote { get; init; }

    /// <summary>Points on the map.</summary>
    public int Count => X.Length;

    /// <summary>Refuses arrays of different lengths and labels without a class name.</summary>
    /// <exception cref="ArgumentException">Naming the first mismatch.</exception>
    public StandaloneMapContent Validate()
    {
        if (Y.Length != Count || Labels.Length != Count) throw new ArgumentException($"x, y and labels must have one value per point ({Count}).");
        if (Labels.Any(l => l < 0 || l >= ClassNames.Count)) throw new ArgumentException("every label must name one of the classes.");
        if (PointNames is { } names && names.Count != Count) throw new ArgumentException($"point names must have one entry per point ({Count}).");
        foreach (var colouring in Colourings) colouring.Validate(Count);
        foreach (var column in HoverColumns)
            if (column.Texts.Count != Count) throw new ArgumentException($"hover column \"{column.Name}\" must have one value per point ({Count}).");
        if (Thumbnails is { } atlas && atlas.Count != Count) throw new ArgumentException($"the thumbnail atlas must hold one tile per point ({Count}).");
        return this;
    }
}
