using Medvis.Core.Evaluation;

namespace Medvis.Core.Comparison;

/// <summary>The k nearest other points of every point of one map (row indices of the map, nearest first).</summary>
public sealed class MapNeighbourhoods
{
    /// <summary>Neighbours per point the comparison uses, as the paper's kNN evaluation does.</summary>
    public const int DefaultK = 15;

    private MapNeighbourhoods(int[][] neighbours, int k)
    {
        Neighbours = neighbours;
        K = k;
    }

    /// <summary>Per point, its <see cref="K"/> nearest other points.</summary>
    public int[][] Neighbours { get; }

    /// <summary>Neighbours per point: the requested k, or one less than the point count for tiny maps.</summary>
    public int K { get; }

    /// <summary>Points of the map.</summary>
    public int Count => Neighbours.Length;

    /// <summary>Searches the <paramref name="k"/> nearest neighbours of every row of an N×2 map (itself excluded).</summary>
    public static MapNeighbourhoods Of(float[,] points, int k = DefaultK)
    {
        ArgumentNullException.ThrowIfNull(points);
        var n = points.GetLength(0);
        if (n < 2) throw new ArgumentException($"Neighbourhoods need at least 2 points, got {n}.");
        if (k < 1) throw new ArgumentException($"k must be at least 1, got {k}.");
        PointMatrix.CheckFinite(points);
        var used = Math.Min(k, n - 1);
        var all = Enumerable.Range(0, n).ToArray();
        return new MapNeighbourhoods(ExactNeighbors.Find(points, all, all, used, excludeSelf: true).Indices, used);
    }
}

/// <summary>How much each point's neighbourhood differs between two maps of the same points, and how well a map keeps a set of points together.</summary>
public static class NeighbourhoodChange
{
    /// <summary>
    /// Per point, the Jaccard overlap |A ∩ B| / |A ∪ B| of its neighbour sets in the two maps: 1 when it has the
    /// same neighbours in both, 0 when none are shared. Both maps must list the same points in the same order.
    /// </summary>
    public static double[] Jaccard(MapNeighbourhoods first, MapNeighbourhoods second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count != second.Count)
            throw new ArgumentException($"Neighbourhoods of {first.Count} and {second.Count} points cannot be compared.");
        var overlap = new double[first.Count];
        for (var i = 0; i < overlap.Length; i++)
        {
            var (a, b) = (first.Neighbours[i], second.Neighbours[i]);
            // Lists of k distinct points: a k×k scan beats a set per point (a million points compare in well under a second).
            var shared = 0;
            foreach (var p in a)
                if (Array.IndexOf(b, p) >= 0) shared++;
            var union = a.Length + b.Length - shared;
            overlap[i] = union == 0 ? 1 : (double)shared / union;
        }
        return overlap;
    }

    /// <summary>
    /// How together a map keeps <paramref name="selection"/>: the mean share of each selected point's neighbours that
    /// are selected too, out of the most that can be (k, or the selection's size less one). 1 when every selected
    /// point's neighbours lie inside the selection; null for a selection of fewer than two points.
    /// </summary>
    public static double? Cohesion(MapNeighbourhoods map, IReadOnlyCollection<int> selection)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(selection);
        var members = selection.Where(p => p >= 0 && p < map.Count).ToHashSet();
        if (members.Count < 2) return null;
        var most = Math.Min(map.K, members.Count - 1);
        return members.Average(p => Math.Min(1.0, (double)map.Neighbours[p].Count(members.Contains) / most));
    }

    /// <summary>
    /// Per class, the mean share of its points' neighbours that carry the same class: how well the map keeps the
    /// class together, computed from neighbourhoods already searched (O(n·k), so a million points take well under a
    /// second). Null for a class with no points.
    /// </summary>
    public static double?[] ClassAgreement(MapNeighbourhoods map, IReadOnlyList<int> labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != map.Count) throw new ArgumentException($"{labels.Count} labels for {map.Count} points.");
        var sums = new double[classes];
        var counts = new int[classes];
        for (var p = 0; p < map.Count; p++)
        {
            var label = labels[p];
            if (label < 0 || label >= classes) continue;
            var same = 0;
            foreach (var neighbour in map.Neighbours[p])
                if (labels[neighbour] == label) same++;
            sums[label] += map.Neighbours[p].Length == 0 ? 0 : (double)same / map.Neighbours[p].Length;
            counts[label]++;
        }
        return Enumerable.Range(0, classes).Select(c => counts[c] == 0 ? (double?)null : sums[c] / counts[c]).ToArray();
    }
}
