namespace Medvis.Core.Maps;

/// <summary>
/// A lasso or box drawn on a map, reduced to a short outline that a link can carry: vertices rounded to a step fixed
/// by the map's size, repeats dropped, and at most <see cref="MaxVertices"/> corners kept (the least visible ones go
/// first). The selection is always taken from the reduced outline, so a link re-selects exactly the points the
/// person saw selected.
/// </summary>
public static class LassoOutline
{
    /// <summary>Most corners an outline keeps.</summary>
    public const int MaxVertices = 64;

    /// <summary>Most vertices read from a drawn path; a longer one is thinned evenly first.</summary>
    public const int MaxDrawnVertices = 2_000;

    /// <summary>
    /// The rounding step for a map (or a view) <paramref name="extent"/> units wide: a power of ten between 1/20,000
    /// and 1/2,000 of it, so a vertex is off by well under a pixel of any screen.
    /// </summary>
    public static double Step(double extent)
    {
        if (!double.IsFinite(extent) || extent <= 0) return 1e-6;
        return Math.Pow(10, Math.Floor(Math.Log10(extent / 2000)));
    }

    /// <summary>
    /// The larger side of the bounding box of the points (<paramref name="x"/>[i], <paramref name="y"/>[i]), 1 for
    /// none: the extent a lasso drawn over them is rounded by (<see cref="Reduce"/>).
    /// </summary>
    public static double Extent(float[] x, float[] y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var n = Math.Min(x.Length, y.Length);
        if (n == 0) return 1;
        float minX = float.PositiveInfinity, maxX = float.NegativeInfinity, minY = float.PositiveInfinity, maxY = float.NegativeInfinity;
        for (var i = 0; i < n; i++)
        {
            minX = Math.Min(minX, x[i]);
            maxX = Math.Max(maxX, x[i]);
            minY = Math.Min(minY, y[i]);
            maxY = Math.Max(maxY, y[i]);
        }
        return Math.Max((double)maxX - minX, (double)maxY - minY);
    }

    /// <summary>
    /// The reduced outline of <paramref name="drawn"/> on a map <paramref name="extent"/> units wide, or null when
    /// fewer than three distinct finite corners remain (a click, a line).
    /// </summary>
    public static PlanePoint[]? Reduce(IReadOnlyList<PlanePoint> drawn, double extent)
    {
        ArgumentNullException.ThrowIfNull(drawn);
        var step = Step(extent);
        var source = drawn.Count > MaxDrawnVertices
            ? Enumerable.Range(0, MaxDrawnVertices).Select(i => drawn[(int)((long)i * drawn.Count / MaxDrawnVertices)]).ToList()
            : drawn;
        var corners = new List<PlanePoint>(source.Count);
        foreach (var p in source)
        {
            if (!double.IsFinite(p.X) || !double.IsFinite(p.Y)) continue;
            var rounded = new PlanePoint(RoundTo(p.X, step), RoundTo(p.Y, step));
            if (corners.Count == 0 || corners[^1] != rounded) corners.Add(rounded);
        }
        while (corners.Count > 1 && corners[^1] == corners[0]) corners.RemoveAt(corners.Count - 1);
        // Visvalingam: drop the corner whose triangle with its neighbours is smallest (first the collinear ones).
        while (corners.Count > MaxVertices || (corners.Count > 3 && SmallestCorner(corners).Area == 0))
            corners.RemoveAt(SmallestCorner(corners).Index);
        return corners.Count >= 3 && SmallestCorner(corners).Area > 0 ? corners.ToArray() : null;
    }

    /// <summary>
    /// The points (<paramref name="x"/>[i], <paramref name="y"/>[i]) inside <paramref name="outline"/> by the rule of
    /// <see cref="PointGrid.Contains"/>, ascending, leaving out those <paramref name="skip"/> names.
    /// </summary>
    public static int[] Inside(float[] x, float[] y, IReadOnlyList<PlanePoint> outline, Func<int, bool>? skip = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(outline);
        if (outline.Count < 3) return [];
        double minX = outline.Min(p => p.X), maxX = outline.Max(p => p.X), minY = outline.Min(p => p.Y), maxY = outline.Max(p => p.Y);
        var found = new List<int>();
        var n = Math.Min(x.Length, y.Length);
        for (var i = 0; i < n; i++)
        {
            if (x[i] < minX || x[i] > maxX || y[i] < minY || y[i] > maxY) continue;
            if (skip?.Invoke(i) == true) continue;
            if (PointGrid.Contains(outline, x[i], y[i])) found.Add(i);
        }
        return found.ToArray();
    }

    /// <summary><paramref name="value"/> rounded to a multiple of <paramref name="step"/> (a power of ten), without binary noise.</summary>
    public static double RoundTo(double value, double step)
    {
        if (step >= 1) return Math.Round(value / step, MidpointRounding.AwayFromZero) * step;
        var decimals = Math.Clamp((int)Math.Round(-Math.Log10(step)), 0, 15);
        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        return rounded == 0 ? 0 : rounded; // no "-0" in a link
    }

    private static (int Index, double Area) SmallestCorner(List<PlanePoint> corners)
    {
        var best = (Index: 0, Area: double.PositiveInfinity);
        for (var i = 0; i < corners.Count; i++)
        {
            var (a, b, c) = (corners[(i + corners.Count - 1) % corners.Count], corners[i], corners[(i + 1) % corners.Count]);
            var area = Math.Abs((b.X - a.X) * (c.Y - a.Y) - (c.X - a.X) * (b.Y - a.Y));
            if (area < best.Area) best = (i, area);
        }
        return best;
    }
}
