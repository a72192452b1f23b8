using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Medvis.Core.Maps;
using Microsoft.Extensions.Caching.Memory;

namespace Medvis.Web.Results;

/// <summary>The point a hover found: its index, where it sits and what it shows.</summary>
/// <param name="Point">Map point index.</param>
/// <param name="X">Its first coordinate.</param>
/// <param name="Y">Its second coordinate.</param>
public sealed record HoveredPoint(int Point, float X, float Y);

/// <summary>
/// Serves maps too large for per-point JSON: the points as binary columns (<see cref="PointColumns"/>), and hover and
/// lasso answered by a <see cref="PointGrid"/> built once per map and cached, so the page never receives per-point
/// objects through the Blazor circuit.
/// </summary>
public sealed class LargeMaps(RunResults results, IMemoryCache cache)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Most lasso vertices taken (the page thins its path to a few hundred).</summary>
    public const int MaxLassoVertices = 10_000;

    /// <summary>
    /// The map of run <paramref name="runId"/> as the page's WebGL view reads it (little-endian): a 16-byte header
    /// (<c>"MVP1"</c>, point count, bytes per label 1 or 4, class count), then x as float32, y as float32 and the
    /// labels as uint8 (up to 256 classes) or int32. Every array starts on a 4-byte boundary, so the page views
    /// them as typed arrays without a copy. Null when the run has no map.
    /// </summary>
    public byte[]? PointColumns(int runId) =>
        results.Result(runId) is { } map ? Columns(map.X, map.Y, map.Labels, map.ClassNames.Count) : null;

    /// <summary>Points (<paramref name="x"/>[i], <paramref name="y"/>[i]) of class <paramref name="labels"/>[i] in the format of <see cref="PointColumns"/>.</summary>
    public static byte[] Columns(float[] x, float[] y, int[] labels, int classes)
    {
        var n = x.Length;
        var labelBytes = classes <= 256 ? 1 : 4;
        var bytes = new byte[16 + 8L * n + (long)labelBytes * n + 3 & ~3L];
        "MVP1"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), n);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), labelBytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), classes);
        // The stored arrays are little-endian on every machine .NET runs this app on (x64, arm64).
        MemoryMarshal.AsBytes(x.AsSpan()).CopyTo(bytes.AsSpan(16));
        MemoryMarshal.AsBytes(y.AsSpan()).CopyTo(bytes.AsSpan(16 + 4 * n));
        var labelSpan = bytes.AsSpan(16 + 8 * n);
        if (labelBytes == 4) MemoryMarshal.AsBytes(labels.AsSpan()).CopyTo(labelSpan);
        else for (var i = 0; i < n; i++) labelSpan[i] = (byte)labels[i];
        return bytes;
    }

    /// <summary>The points inside a lasso given as vertex columns, through <paramref name="index"/>; empty for a lasso that is not one.</summary>
    public static int[] InLasso(PointGrid index, IReadOnlyList<double> xs, IReadOnlyList<double> ys)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        if (xs.Count != ys.Count || xs.Count < 3 || xs.Count > MaxLassoVertices) return [];
        return index.InPolygon(Enumerable.Range(0, xs.Count).Select(i => new PlanePoint(xs[i], ys[i])).ToArray());
    }

    /// <summary>
    /// The point nearest to (<paramref name="x"/>, <paramref name="y"/>) within <paramref name="radius"/>, or null;
    /// points of <paramref name="hiddenClasses"/> are not drawn, so not found either.
    /// </summary>
    public HoveredPoint? Nearest(int runId, double x, double y, double radius, IReadOnlySet<int>? hiddenClasses = null) =>
        Index(runId) is { } index && results.Result(runId) is { } map
            ? Nearest(index, map.X, map.Y, map.Labels, x, y, radius, hiddenClasses)
            : null;

    /// <summary>
    /// The point of (<paramref name="pointsX"/>, <paramref name="pointsY"/>), indexed by <paramref name="index"/>, nearest
    /// to (<paramref name="x"/>, <paramref name="y"/>) within <paramref name="radius"/>, or null; points whose
    /// <paramref name="labels"/> are in <paramref name="hiddenClasses"/> are not drawn, so not found either.
    /// </summary>
    public static HoveredPoint? Nearest(PointGrid index, float[] pointsX, float[] pointsY, int[] labels,
        double x, double y, double radius, IReadOnlySet<int>? hiddenClasses)
    {
        ArgumentNullException.ThrowIfNull(index);
        var point = hiddenClasses is { Count: > 0 } ? index.Nearest(x, y, radius, p => !hiddenClasses.Contains(labels[p])) : index.Nearest(x, y, radius);
        return point < 0 ? null : new HoveredPoint(point, pointsX[point], pointsY[point]);
    }

    /// <summary>
    /// The points inside the lasso whose vertices are (<paramref name="xs"/>[i], <paramref name="ys"/>[i]), ascending,
    /// leaving out those of <paramref name="hiddenClasses"/> (hidden from the picture, so not selected either).
    /// </summary>
    public int[] InLasso(int runId, IReadOnlyList<double> xs, IReadOnlyList<double> ys, IReadOnlySet<int>? hiddenClasses = null)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        if (Index(runId) is not { } index || results.Result(runId) is not { } map) return [];
        return InLasso(index, map.Labels, xs, ys, hiddenClasses);
    }

    /// <summary>
    /// The points inside a lasso given as vertex columns, through <paramref name="index"/>, ascending, leaving out those
    /// whose <paramref name="labels"/> are in <paramref name="hiddenClasses"/> (hidden from the picture, so not selected either).
    /// </summary>
    public static int[] InLasso(PointGrid index, int[] labels, IReadOnlyList<double> xs, IReadOnlyList<double> ys, IReadOnlySet<int>? hiddenClasses)
    {
        var inside = InLasso(index, xs, ys);
        return hiddenClasses is { Count: > 0 } ? inside.Where(p => !hiddenClasses.Contains(labels[p])).ToArray() : inside;
    }

    /// <summary>Builds the run's index ahead of the first hover (a second or so for a million points).</summary>
    public void Prepare(int runId) => Index(runId);

    private PointGrid? Index(int runId)
    {
        if (cache.TryGetValue(("point-grid", runId), out PointGrid? cached)) return cached;
        if (results.Result(runId) is not { } map) return null;
        return cache.Set(("point-grid", runId), PointGrid.Build(map.X, map.Y), CacheLifetime);
    }
}
