namespace Medvis.Core.Maps.Export;

/// <summary>
/// One way to colour an exported map besides its classes: groups with names (a categorical column, drawn with the
/// class palette and a legend) or values on a colour scale (a continuous column; NaN is drawn grey).
/// </summary>
/// <param name="Name">The column's name.</param>
/// <param name="Groups">Group index per point (categorical), or null.</param>
/// <param name="GroupNames">Names of the groups, by index (categorical), or null.</param>
/// <param name="Values">Value per point (continuous), or null.</param>
public sealed record ExportColouring(string Name, int[]? Groups, IReadOnlyList<string>? GroupNames, double[]? Values)
{
    /// <summary>A categorical colouring.</summary>
    public static ExportColouring Categorical(string name, int[] groups, IReadOnlyList<string> groupNames) => new(name, groups, groupNames, null);

    /// <summary>A continuous colouring.</summary>
    public static ExportColouring Continuous(string name, double[] values) => new(name, null, null, values);

    internal void Validate(int count)
    {
        var categorical = Groups is not null && GroupNames is not null;
        if (categorical == Values is not null) throw new ArgumentException($"colouring \"{Name}\" must have either groups with names or values.");
        if ((Groups?.Length ?? Values!.Length) != count) throw new ArgumentException($"colouring \"{Name}\" must have one value per point ({count}).");
        if (Groups is { } groups && groups.Any(g => g < 0 || g >= GroupNames!.Count))
            throw new ArgumentException($"colouring \"{Name}\": every group must have a name.");
    }
}
