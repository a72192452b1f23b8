namespace Medvis.Core.Quality;

/// <summary>
/// The first few of many points in a total order, without sorting them all: a heap of the best kept so far, O(n log
/// top) instead of O(n log n), which matters for a million points and a list of 150.
/// </summary>
internal static class TopRanked
{
    /// <summary>
    /// The <paramref name="top"/> points of 0..<paramref name="count"/>−1 that <paramref name="keep"/> accepts, best
    /// first by <paramref name="compare"/> (negative: the first argument ranks before the second; it must order any
    /// two distinct points, e.g. by index last). Equals sorting them all and taking the first.
    /// </summary>
    public static int[] Of(int count, int top, Comparison<int> compare, Func<int, bool>? keep = null)
    {
        if (top <= 0) return [];
        // The heap's top is the worst kept point, so the comparer is reversed.
        var kept = new PriorityQueue<int, int>(top + 1, Comparer<int>.Create((a, b) => compare(b, a)));
        for (var i = 0; i < count; i++)
        {
            if (keep is not null && !keep(i)) continue;
            if (kept.Count < top) kept.Enqueue(i, i);
            else if (compare(i, kept.Peek()) < 0) kept.EnqueueDequeue(i, i);
        }
        var result = kept.UnorderedItems.Select(e => e.Element).ToArray();
        Array.Sort(result, compare);
        return result;
    }
}
