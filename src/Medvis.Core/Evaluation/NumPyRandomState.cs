namespace Medvis.Core.Evaluation;

/// <summary>
/// The draws of NumPy's legacy <c>numpy.random.RandomState(seed)</c> that scikit-learn's splitters make, reproduced
/// bit for bit (numpy/random/mtrand.pyx and numpy/random/src/distributions/distributions.c, NumPy 1.17–2.x):
/// <list type="bullet">
/// <item><c>shuffle</c> of a 1-D array is the backwards Fisher–Yates of <c>_shuffle_raw</c>: for i = n−1 … 1 swap
/// item i with item j = <c>random_interval(i)</c>.</item>
/// <item><c>random_interval(max)</c> draws 32-bit outputs masked to the smallest all-ones mask ≥ max and rejects
/// those above max (the 64-bit branch for max ≥ 2³² is never reached by arrays indexed with <see cref="int"/>).</item>
/// <item><c>permutation(n)</c> shuffles <c>arange(n)</c>; <c>permutation(array)</c> shuffles a copy.</item>
/// <item><c>choice(a, size, replace=False)</c> without probabilities is <c>a[permutation(len(a))[:size]]</c>.</item>
/// </list>
/// </summary>
internal sealed class NumPyRandomState
{
    private readonly Mt19937 _bits;

    /// <summary>The generator of <c>numpy.random.RandomState(seed)</c> (what <c>check_random_state(seed)</c> returns).</summary>
    public NumPyRandomState(int seed)
    {
        if (seed < 0) throw new ArgumentException($"A NumPy RandomState seed must be non-negative, got {seed}.");
        _bits = new Mt19937((uint)seed);
    }

    /// <summary>Uniform integer in [0, <paramref name="max"/>] (inclusive), NumPy's <c>random_interval</c>.</summary>
    public uint Interval(uint max)
    {
        if (max == 0) return 0;
        var mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        uint value;
        while ((value = _bits.NextUInt32() & mask) > max) { }
        return value;
    }

    /// <summary>Shuffles in place as <c>RandomState.shuffle</c> shuffles a 1-D array.</summary>
    public void Shuffle(Span<int> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = (int)Interval((uint)i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary><c>RandomState.permutation(n)</c>: 0 … n−1 in shuffled order.</summary>
    public int[] Permutation(int count)
    {
        var order = new int[count];
        for (var i = 0; i < count; i++) order[i] = i;
        Shuffle(order);
        return order;
    }

    /// <summary><c>RandomState.permutation(items)</c>: a shuffled copy.</summary>
    public int[] Permutation(ReadOnlySpan<int> items)
    {
        var copy = items.ToArray();
        Shuffle(copy);
        return copy;
    }

    /// <summary><c>RandomState.choice(population, size, replace=False)</c> (uniform probabilities).</summary>
    public int[] ChooseWithoutReplacement(IReadOnlyList<int> population, int size)
    {
        if (size < 0 || size > population.Count)
            throw new ArgumentException($"Cannot choose {size} of {population.Count} items without replacement.");
        return Permutation(population.Count).Take(size).Select(p => population[p]).ToArray();
    }
}
