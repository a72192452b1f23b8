using System.Globalization;
using Medvis.Core.Maps;

namespace Medvis.Web.Results;

/// <summary>The part of a map in view: its axis ranges in map units.</summary>
/// <param name="X0">Left end of the x axis.</param>
/// <param name="X1">Right end of the x axis.</param>
/// <param name="Y0">Bottom end of the y axis.</param>
/// <param name="Y1">Top end of the y axis.</param>
public readonly record struct MapZoom(double X0, double X1, double Y0, double Y1)
{
    /// <summary>Whether both ranges agree with <paramref name="other"/>'s to a thousandth of their span (rounding, not zooming).</summary>
    public bool IsCloseTo(MapZoom other)
    {
        var (tx, ty) = (Math.Abs(X1 - X0) * 1e-3, Math.Abs(Y1 - Y0) * 1e-3);
        return Math.Abs(X0 - other.X0) <= tx && Math.Abs(X1 - other.X1) <= tx && Math.Abs(Y0 - other.Y0) <= ty && Math.Abs(Y1 - other.Y1) <= ty;
    }

    /// <summary>The ranges as [x0, x1, y0, y1], as the page's scripts take them.</summary>
    public double[] ToArray() => [X0, X1, Y0, Y1];

    /// <summary>Ranges from [x0, x1, y0, y1]; null unless four finite numbers with x0 &lt; x1 and y0 &lt; y1.</summary>
    public static MapZoom? From(IReadOnlyList<double>? values) =>
        values is { Count: 4 } v && v.All(double.IsFinite) && v[0] < v[1] && v[2] < v[3] ? new MapZoom(v[0], v[1], v[2], v[3]) : null;
}

/// <summary>A lasso or box someone drew on a map: its outline in map units, and the points it may not select (hidden ones).</summary>
/// <param name="Outline">The drawn path's vertices.</param>
/// <param name="Skip">True for points the lasso leaves out (hidden from the picture); null: none.</param>
public sealed record DrawnLasso(IReadOnlyList<PlanePoint> Outline, Func<int, bool>? Skip = null);

/// <summary>
/// What a map page shows beyond its data, kept in the address so that a link opens the same view: the zoom, the
/// lasso (its reduced outline, see <see cref="LassoOutline"/>, and on the compare page the map it was drawn on),
/// and the clicked image. Only view state: it names no run and grants nothing.
/// </summary>
/// <param name="Zoom">Axis ranges; null: the whole map.</param>
/// <param name="Lasso">The lasso's outline in map units; null: no lasso.</param>
/// <param name="LassoMap">Position of the map the lasso was drawn on (compare page; 0 elsewhere).</param>
/// <param name="Image">The clicked (or picked) point as its dataset image index; null: none.</param>
public sealed record MapViewState(MapZoom? Zoom, IReadOnlyList<PlanePoint>? Lasso, int LassoMap, int? Image)
{
    /// <summary>Nothing zoomed, selected or clicked.</summary>
    public static readonly MapViewState Empty = new(null, null, 0, null);
}

/// <summary>
/// A compare page's view fitted to its comparison. The maps are aligned, so one zoom and one selection hold for all
/// of them: a lasso (its reduced outline and the map it was drawn in) or else one picked image. Both compare views
/// (Plotly's for small maps, <c>LargeCompareView</c> for large ones) read their address and write it through this.
/// </summary>
/// <param name="Zoom">Axis ranges of every map; null: the whole maps.</param>
/// <param name="Lasso">The lasso's reduced outline (<see cref="LassoOutline.Reduce"/>); null: none.</param>
/// <param name="LassoMap">Position of the map the lasso was drawn in (0 without a lasso).</param>
/// <param name="Picked">The picked image as a shared index (the comparison's order); null: none.</param>
public sealed record ComparedView(MapZoom? Zoom, PlanePoint[]? Lasso, int LassoMap, int? Picked)
{
    /// <summary>Nothing zoomed, selected or picked.</summary>
    public static readonly ComparedView Empty = new(null, null, 0, null);

    /// <summary>
    /// What of a link's <paramref name="view"/> fits a comparison of <paramref name="maps"/> maps whose shared images
    /// have the dataset indices <paramref name="datasetIndices"/>: a lasso drawn in a map it has, reduced by that map's
    /// <paramref name="extent"/> as a drawn one is, or else an image it shows. The rest is dropped, silently.
    /// </summary>
    public static ComparedView Fit(MapViewState view, int maps, Func<int, double> extent, int[] datasetIndices)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(extent);
        ArgumentNullException.ThrowIfNull(datasetIndices);
        if (view.Lasso is { } lasso && view.LassoMap >= 0 && view.LassoMap < maps && LassoOutline.Reduce(lasso, extent(view.LassoMap)) is { } outline)
            return new ComparedView(view.Zoom, outline, view.LassoMap, null);
        int? picked = view.Image is { } image && Array.IndexOf(datasetIndices, image) is var shared and >= 0 ? shared : null;
        return new ComparedView(view.Zoom, null, 0, picked);
    }

    /// <summary>The state for the address: the picked image as its dataset index.</summary>
    public MapViewState ToState(int[] datasetIndices)
    {
        ArgumentNullException.ThrowIfNull(datasetIndices);
        return new MapViewState(Zoom, Lasso, Lasso is null ? 0 : LassoMap,
            Picked is { } p && p >= 0 && p < datasetIndices.Length ? datasetIndices[p] : null);
    }
}

/// <summary>
/// Reads and writes <see cref="MapViewState"/> as query parameters: <c>zoom=x0_x1_y0_y1</c>,
/// <c>lasso=x_y_x_y_…</c> (at most <see cref="LassoOutline.MaxVertices"/> corners), <c>lassoin=map</c> and
/// <c>point=image</c>. Numbers are joined by '_' because browsers leave it unescaped in a query (a comma becomes
/// three characters). Anything malformed, too long or out of bounds is ignored, one parameter at a time, and never
/// raises.
/// </summary>
public static class MapViewQuery
{
    /// <summary>Parameter of the zoom.</summary>
    public const string ZoomKey = "zoom";
    /// <summary>Parameter of the lasso's outline.</summary>
    public const string LassoKey = "lasso";
    /// <summary>Parameter of the map a compare page's lasso was drawn on.</summary>
    public const string LassoMapKey = "lassoin";
    /// <summary>Parameter of the clicked image.</summary>
    public const string PointKey = "point";

    /// <summary>Longest value read; longer ones are ignored unread (64 corners of two 12-character numbers fit).</summary>
    public const int MaxValueLength = 1700;

    /// <summary>Largest coordinate magnitude taken: maps live far inside it, and squares of it stay finite.</summary>
    public const double MaxCoordinate = 1e12;

    private const char Separator = '_';

    /// <summary>The state in the four values (each may be null or hostile); <paramref name="maps"/> bounds <c>lassoin</c>.</summary>
    public static MapViewState Parse(string? zoom, string? lasso, string? lassoMap, string? point, int maps = 1)
    {
        var zoomNumbers = Numbers(zoom, 4);
        var lassoNumbers = Numbers(lasso, 2 * LassoOutline.MaxVertices);
        PlanePoint[]? outline = null;
        if (lassoNumbers is { Length: >= 6 } n && n.Length % 2 == 0)
            outline = Enumerable.Range(0, n.Length / 2).Select(i => new PlanePoint(n[2 * i], n[2 * i + 1])).ToArray();
        var map = Integer(lassoMap) is { } m && m < Math.Max(1, maps) ? m : 0;
        return new MapViewState(zoomNumbers is { Length: 4 } ? MapZoom.From(zoomNumbers) : null, outline, outline is null ? 0 : map, Integer(point));
    }

    /// <summary>The query values of <paramref name="state"/>; null removes a parameter.</summary>
    public static Dictionary<string, string?> Format(MapViewState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new()
        {
            [ZoomKey] = state.Zoom is { } z ? FormatZoom(z) : null,
            [LassoKey] = state.Lasso is { Count: >= 3 } lasso ? string.Join(Separator, lasso.SelectMany(p => new[] { Number(p.X), Number(p.Y) })) : null,
            [LassoMapKey] = state.Lasso is { Count: >= 3 } && state.LassoMap > 0 ? state.LassoMap.ToString(CultureInfo.InvariantCulture) : null,
            [PointKey] = state.Image?.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// The zoom rounded as a link carries it: to a step of 1/2,000–1/20,000 of the smaller span (see
    /// <see cref="LassoOutline.Step"/>), far below a pixel.
    /// </summary>
    public static MapZoom Round(MapZoom zoom)
    {
        var step = LassoOutline.Step(Math.Min(zoom.X1 - zoom.X0, zoom.Y1 - zoom.Y0));
        var rounded = new MapZoom(LassoOutline.RoundTo(zoom.X0, step), LassoOutline.RoundTo(zoom.X1, step),
            LassoOutline.RoundTo(zoom.Y0, step), LassoOutline.RoundTo(zoom.Y1, step));
        return rounded.X0 < rounded.X1 && rounded.Y0 < rounded.Y1 ? rounded : zoom;
    }

    private static string FormatZoom(MapZoom zoom)
    {
        var z = Round(zoom);
        return string.Join(Separator, Number(z.X0), Number(z.X1), Number(z.Y0), Number(z.Y1));
    }

    // Shortest text that reads back as the same double.
    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double[]? Numbers(string? text, int most)
    {
        if (string.IsNullOrEmpty(text) || text.Length > MaxValueLength) return null;
        var parts = text.Split(Separator);
        if (parts.Length > most) return null;
        var numbers = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                    CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || Math.Abs(value) > MaxCoordinate)
                return null;
            numbers[i] = value;
        }
        return numbers;
    }

    private static int? Integer(string? text) =>
        text is { Length: > 0 and <= 10 } && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
