namespace Medvis.Core.Data;

/// <summary>The one way a seeded random subset of images is drawn: run subsets and live-snapshot points alike.</summary>
public static class SeededSubset
{
    /// <summary>
    /// Sorted indices of a seeded random subset of <paramref name="size"/> out of <paramref name="count"/>; all
    /// indices when <paramref name="size"/> is null or not smaller than the count. The same seed gives the same subset.
    /// </summary>
    public static int[] Choose(int count, int? size, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var indices = Enumerable.Range(0, count).ToArray();
        if (size is not { } wanted || wanted >= count) return indices;
        ArgumentOutOfRangeException.ThrowIfNegative(wanted, nameof(size));
        new Random(seed).Shuffle(indices);
        var chosen = indices[..wanted];
        Array.Sort(chosen);
        return chosen;
    }
}
