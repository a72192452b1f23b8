namespace Medvis.Core.Maps;

/// <summary>
/// A 2-D map computed elsewhere (the Python <c>tsimcne</c> package, openTSNE, UMAP …), as read from a CSV of
/// index, x, y. Point i shows image <c>Indices[i]</c> of the dataset split it is attached to (or of no dataset).
/// </summary>
/// <param name="Indices">Image index per point, all different and not negative.</param>
/// <param name="X">First coordinate per point (finite).</param>
/// <param name="Y">Second coordinate per point (finite).</param>
/// <param name="Labels">Class per point when the file had a label or class column; null otherwise.</param>
/// <param name="ClassNames">Names by class when <paramref name="Labels"/> is set; null otherwise.</param>
public sealed record ImportedMap(int[] Indices, float[] X, float[] Y, int[]? Labels, IReadOnlyList<string>? ClassNames)
{
    /// <summary>Points in the map.</summary>
    public int Count => X.Length;
}
