namespace Medvis.Core.Evaluation;

/// <summary>Indices of the points a classifier is fitted on and of those it is scored on.</summary>
public sealed record TrainTestSplit(int[] TrainIndices, int[] TestIndices)
{
    /// <summary>Default share of points held out for testing (9:1, as the medical t-SimCNE evaluation).</summary>
    public const double DefaultTestFraction = 0.1;

    /// <summary>Default seed of the stratified split.</summary>
    public const int DefaultSeed = 0;

    /// <summary>
    /// Stratified shuffle split, deterministic for a given seed. Allocation follows scikit-learn's
    /// <c>StratifiedShuffleSplit</c>: n_test = ceil(f·N), n_train = N − n_test; each class gets
    /// floor(n_train·n_c/N) training points and the remaining training slots go to the classes with the largest
    /// fractional parts (ties: lower class index first, where scikit-learn draws at random); the rest of each
    /// class is its test part. Which members of a class land in train is a seeded Fisher–Yates shuffle of the
    /// class's indices (SplitMix64, so results do not depend on the .NET version; the draws differ from NumPy's).
    /// Both index lists are returned sorted.
    /// </summary>
    public static TrainTestSplit Stratified(int[] labels, double testFraction = DefaultTestFraction, int seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentException($"Test fraction must lie strictly between 0 and 1, got {testFraction}.");
        var n = labels.Length;
        var testCount = (int)Math.Ceiling(testFraction * n);
        var trainCount = n - testCount;
        if (testCount < 1 || trainCount < 1)
            throw new ArgumentException($"{n} points are too few for a train/test split with test fraction {testFraction}.");

        var members = MembersPerClass(labels);
        var trainPerClass = ProportionalAllocation(members.Select(m => m.Count).ToArray(), trainCount);
        var random = new SplitMix64((ulong)seed);
        var train = new List<int>(trainCount);
        var test = new List<int>(testCount);
        for (var c = 0; c < members.Length; c++)
        {
            var shuffled = members[c].ToArray();
            random.Shuffle(shuffled);
            train.AddRange(shuffled.Take(trainPerClass[c]));
            test.AddRange(shuffled.Skip(trainPerClass[c]));
        }
        train.Sort();
        test.Sort();
        return new TrainTestSplit(train.ToArray(), test.ToArray());
    }

    /// <summary>Checks that both parts are non-empty, in range and disjoint; throws a one-line error otherwise.</summary>
    public void Validate(int pointCount)
    {
        if (TrainIndices.Length == 0 || TestIndices.Length == 0)
            throw new ArgumentException("The split needs at least one training and one test point.");
        var seen = new bool[pointCount];
        foreach (var index in TrainIndices.Concat(TestIndices))
        {
            if (index < 0 || index >= pointCount)
                throw new ArgumentException($"Split index {index} is outside the {pointCount} points.");
            if (seen[index])
                throw new ArgumentException($"Split index {index} appears twice (train and test must be disjoint).");
            seen[index] = true;
        }
    }

    private static List<int>[] MembersPerClass(int[] labels)
    {
        var members = Enumerable.Range(0, PointMatrix.ClassCount(labels)).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0) throw new ArgumentException($"Labels must be non-negative class indices, found {labels[i]}.");
            members[labels[i]].Add(i);
        }
        return members;
    }

    /// <summary>Largest-remainder allocation of <paramref name="total"/> slots proportional to the class counts.</summary>
    internal static int[] ProportionalAllocation(int[] counts, int total)
    {
        var n = counts.Sum();
        var exact = counts.Select(c => (double)total * c / n).ToArray();
        var allocation = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var left = total - allocation.Sum();
        var byRemainder = Enumerable.Range(0, counts.Length)
            .OrderByDescending(c => exact[c] - allocation[c])
            .ThenBy(c => c);
        foreach (var c in byRemainder)
        {
            if (left == 0) break;
            if (allocation[c] < counts[c]) { allocation[c]++; left--; }
        }
        return allocation;
    }
}

/// <summary>Small, fully specified PRNG so seeded splits and samples are the same on every runtime.</summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [0, bound).</summary>
    public int NextInt(int bound) => (int)(Next() % (ulong)bound);

    /// <summary>Uniform double in [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    public void Shuffle(int[] items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
