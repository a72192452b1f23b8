using Medvis.Core.Evaluation;

namespace Medvis.Core.Similarity;

/// <summary>One neighbour: a row of the searched points and its Euclidean distance to the query.</summary>
public sealed record Neighbour(int Point, double Distance);

/// <summary>
/// Exact nearest neighbours of single points or of new vectors, in a map (2-D) or a feature space (any dimension),
/// with the exact search the metrics use (<see cref="ExactNeighbors"/>): nearest first, ties to the lower row.
/// </summary>
public static class NeighbourSearch
{
    /// <summary>The neighbours a point is shown with, as in the paper's kNN accuracy and the comparison overlay.</summary>
    public const int DefaultK = 15;

    /// <summary>The <paramref name="k"/> nearest other rows of <paramref name="points"/> to row <paramref name="point"/>.</summary>
    /// <exception cref="ArgumentException">The point is not a row, or fewer than k other rows exist.</exception>
    public static IReadOnlyList<Neighbour> OfPoint(float[,] points, int point, int k = DefaultK)
    {
        var count = points.GetLength(0);
        if (point < 0 || point >= count) throw new ArgumentException($"point {point} is not one of the {count} points.");
        var found = ExactNeighbors.Find(points, Enumerable.Range(0, count).ToArray(), [point], Math.Min(k, count - 1), excludeSelf: true);
        return ToNeighbours(found, 0);
    }

    /// <summary>
    /// For each row of <paramref name="queries"/>, its <paramref name="k"/> nearest rows of <paramref name="reference"/>
    /// (both of one dimension; fewer when the reference holds fewer).
    /// </summary>
    /// <exception cref="ArgumentException">The dimensions differ, or the reference is empty.</exception>
    public static IReadOnlyList<Neighbour>[] Nearest(float[,] reference, float[,] queries, int k = DefaultK)
    {
        int n = reference.GetLength(0), m = queries.GetLength(0), d = reference.GetLength(1);
        if (queries.GetLength(1) != d) throw new ArgumentException($"queries have {queries.GetLength(1)} dimensions, the reference {d}.");
        if (n == 0) throw new ArgumentException("there are no reference points to search.");
        if (m == 0) return [];
        // One matrix, reference rows first: the exact search works on row indices of a single matrix.
        var all = new float[n + m, d];
        Buffer.BlockCopy(reference, 0, all, 0, n * d * sizeof(float));
        Buffer.BlockCopy(queries, 0, all, n * d * sizeof(float), m * d * sizeof(float));
        var found = ExactNeighbors.Find(all, Enumerable.Range(0, n).ToArray(), Enumerable.Range(n, m).ToArray(), Math.Min(k, n));
        return Enumerable.Range(0, m).Select(q => ToNeighbours(found, q)).ToArray();
    }

    /// <summary>How two neighbour lists of one point agree: the points in both, and their share of the union (Jaccard).</summary>
    public static NeighbourOverlap Overlap(IEnumerable<int> first, IEnumerable<int> second)
    {
        var a = first.ToHashSet();
        var b = second.ToHashSet();
        var shared = a.Intersect(b).Order().ToArray();
        var union = a.Count + b.Count - shared.Length;
        return new NeighbourOverlap(shared, union == 0 ? 1 : (double)shared.Length / union);
    }

    private static IReadOnlyList<Neighbour> ToNeighbours(NeighborLists found, int query) =>
        found.Indices[query].Select((p, j) => new Neighbour(p, Math.Sqrt(found.SquaredDistances[query][j]))).ToArray();
}

/// <summary>The points two neighbour lists share, and the Jaccard index of the lists.</summary>
public sealed record NeighbourOverlap(int[] Shared, double Jaccard);

/// <summary>A class vote of neighbours: the winning class and the share of neighbours that carry it.</summary>
/// <param name="Label">The class most neighbours carry (a tie goes to the class of the nearest tied neighbour).</param>
/// <param name="Confidence">The share of neighbours carrying <paramref name="Label"/>, in (0, 1].</param>
/// <param name="Votes">Neighbours per class, indexed by class.</param>
public sealed record ClassVote(int Label, double Confidence, int[] Votes)
{
    /// <summary>Counts the classes of the neighbours, given nearest first.</summary>
    /// <exception cref="ArgumentException">No neighbours, or a label outside the classes.</exception>
    public static ClassVote Of(IReadOnlyList<int> neighbourLabels, int classCount)
    {
        if (neighbourLabels.Count == 0) throw new ArgumentException("a vote needs at least one neighbour.");
        var votes = new int[classCount];
        foreach (var label in neighbourLabels)
        {
            if (label < 0 || label >= classCount) throw new ArgumentException($"label {label} outside the {classCount} classes.");
            votes[label]++;
        }
        var most = votes.Max();
        var winner = neighbourLabels.First(l => votes[l] == most);
        return new ClassVote(winner, (double)most / neighbourLabels.Count, votes);
    }
}
