using Medvis.Core.Data.Metadata;

namespace Medvis.Web.Results;

/// <summary>
/// Which points a metadata filter keeps: categories to include, a numeric range (bounds optional), or the identifiers
/// that contain a text.
/// </summary>
/// <param name="Column">The metadata column filtered on.</param>
/// <param name="Categories">Categorical columns: the values kept (null keeps all).</param>
/// <param name="Min">Continuous columns: the smallest value kept (null: no lower bound).</param>
/// <param name="Max">Continuous columns: the largest value kept (null: no upper bound).</param>
/// <param name="Contains">Identifier columns: text the value must contain, in any case (null or blank keeps all).</param>
public sealed record MetadataFilter(string Column, IReadOnlySet<string>? Categories = null, double? Min = null, double? Max = null, string? Contains = null);

/// <summary>
/// How a map is drawn: per point a group (class or category) with group names, or a value on a colour scale; and the
/// points kept in colour (the rest drawn grey for context), with a line saying what is shown.
/// </summary>
public sealed record MapColouring(
    int[] Groups, IReadOnlyList<string> GroupNames, double[]? Values, double ValueMin, double ValueMax, string? ValueTitle,
    IReadOnlySet<int>? Kept, string Summary);

/// <summary>
/// Colours a map by its classes or by a categorical or continuous metadata column, and applies a metadata filter (on
/// any column: identifiers are searched).
/// </summary>
public static class MetadataColouring
{
    /// <summary>The name of the group of points that have no value in a categorical column.</summary>
    public const string Missing = "(no value)";

    /// <summary>
    /// Colours <paramref name="map"/>'s points by class (<paramref name="colourBy"/> null) or by that metadata column,
    /// and keeps in colour only the points that pass <paramref name="filter"/> and, for a continuous colouring, have a value.
    /// </summary>
    /// <exception cref="ArgumentException">A column that the metadata does not have, or an identifier column to colour by.</exception>
    public static MapColouring For(RunResult map, DatasetMetadata? metadata, string? colourBy, MetadataFilter? filter)
    {
        var column = ColumnOf(metadata, colourBy);
        if (column is { } chosen && !chosen.ColoursMaps())
            throw new ArgumentException($"The column \"{chosen.Name}\" is an identifier: it is shown on hover and searched, not used for colouring.");
        var kept = Kept(map, ColumnOf(metadata, filter?.Column), filter);
        if (column is null)
            return new(map.Labels, map.ClassNames, null, 0, 1, null, kept, Describe(map, kept, "class"));
        if (column.Kind == MetadataColumnKind.Categorical)
        {
            var groups = map.DatasetIndices.Select(i => column.HasValue(i) ? column.Codes[i] : column.Categories.Count).ToArray();
            var names = groups.Any(g => g == column.Categories.Count) ? [.. column.Categories, Missing] : column.Categories;
            return new(groups, names, null, 0, 1, null, kept, Describe(map, kept, column.Name));
        }
        var values = map.DatasetIndices.Select(i => column.HasValue(i) ? column.Values[i] : double.NaN).ToArray();
        var present = Enumerable.Range(0, map.Count).Where(p => !double.IsNaN(values[p])).ToHashSet();
        if (present.Count < map.Count) kept = kept is null ? present : kept.Where(present.Contains).ToHashSet();
        var (min, max) = present.Count == 0 ? (0.0, 1.0) : (present.Min(p => values[p]), present.Max(p => values[p]));
        if (max <= min) max = min + 1;
        // The value trace cannot draw NaN: points without a value are grey (not kept), their slot holds the minimum.
        for (var p = 0; p < values.Length; p++) if (double.IsNaN(values[p])) values[p] = min;
        return new(map.Labels, map.ClassNames, values, min, max, column.Name, kept, Describe(map, kept, column.Name));
    }

    private static MetadataColumn? ColumnOf(DatasetMetadata? metadata, string? name) =>
        string.IsNullOrEmpty(name) ? null
            : metadata?.Column(name) ?? throw new ArgumentException($"The metadata has no column \"{name}\".");

    private static HashSet<int>? Kept(RunResult map, MetadataColumn? column, MetadataFilter? filter)
    {
        if (column is null || filter is null) return null;
        var contains = filter.Contains?.Trim() ?? "";
        bool Passes(int datasetIndex) => column.Kind switch
        {
            MetadataColumnKind.Categorical => filter.Categories is null
                || filter.Categories.Contains(column.HasValue(datasetIndex) ? column.Categories[column.Codes[datasetIndex]] : Missing),
            MetadataColumnKind.Identifier => contains.Length == 0
                || (column.HasValue(datasetIndex) && column.Text(datasetIndex).Contains(contains, StringComparison.OrdinalIgnoreCase)),
            _ => (filter.Min is null && filter.Max is null) || (column.HasValue(datasetIndex)
                && column.Values[datasetIndex] >= (filter.Min ?? double.NegativeInfinity)
                && column.Values[datasetIndex] <= (filter.Max ?? double.PositiveInfinity)),
        };
        return Enumerable.Range(0, map.Count).Where(p => Passes(map.DatasetIndices[p])).ToHashSet();
    }

    private static string Describe(RunResult map, IReadOnlySet<int>? kept, string colouredBy) =>
        kept is null ? $"{map.Count} points coloured by {colouredBy}."
            : $"{kept.Count} of {map.Count} points coloured by {colouredBy}; the other {map.Count - kept.Count} are grey (filtered out or without a value).";
}
