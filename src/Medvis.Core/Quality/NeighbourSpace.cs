using Medvis.Core.Evaluation;

namespace Medvis.Core.Quality;

/// <summary>
/// The k nearest neighbours of every point in one space (the map, or image features), searched once with
/// <see cref="ExactNeighbors"/> and shared by the finders, with the space's typical distances for scale.
/// </summary>
internal sealed class NeighbourSpace
{
    private NeighbourSpace(string name, int[][] neighbours, double[][] distances)
    {
        Name = name;
        Neighbours = neighbours;
        Distances = distances;
        TypicalNearest = TypicalOf(distances.Select(d => d[0]));
        TypicalFarthest = TypicalOf(distances.Select(d => d[^1]));
    }

    /// <summary>"map" or "features", for reasons shown to users.</summary>
    public string Name { get; }

    /// <summary>Per point, its k nearest other points, nearest first.</summary>
    public int[][] Neighbours { get; }

    /// <summary>Per point, the Euclidean distances to <see cref="Neighbours"/>.</summary>
    public double[][] Distances { get; }

    /// <summary>Median distance to the nearest neighbour: the yardstick of "much closer than usual".</summary>
    public double TypicalNearest { get; }

    /// <summary>Median distance to the k-th nearest neighbour: the yardstick of "far from everything".</summary>
    public double TypicalFarthest { get; }

    /// <summary>Searches the k nearest neighbours of every row of <paramref name="points"/> (itself excluded).</summary>
    public static NeighbourSpace Build(string name, float[,] points, int k)
    {
        var all = Enumerable.Range(0, points.GetLength(0)).ToArray();
        var found = ExactNeighbors.Find(points, all, all, k, excludeSelf: true);
        return new NeighbourSpace(name, found.Indices, found.SquaredDistances.Select(row => row.Select(Math.Sqrt).ToArray()).ToArray());
    }

    /// <summary>The median of the positive values: exact duplicates (distance 0) must not shrink the yardstick to nothing.</summary>
    private static double TypicalOf(IEnumerable<double> values)
    {
        var positive = values.Where(v => v > 0).Order().ToArray();
        return positive.Length == 0 ? 1 : positive[positive.Length / 2];
    }
}
