namespace Medvis.Core.Evaluation;

/// <summary>Indices of the points a classifier is fitted on and of those it is scored on.</summary>
public sealed record TrainTestSplit(int[] TrainIndices, int[] TestIndices)
{
    /// <summary>Default share of points held out for testing (9:1, as the medical t-SimCNE evaluation).</summary>
    public const double DefaultTestFraction = 0.1;

    /// <summary>Default seed of the stratified split.</summary>
    public const int DefaultSeed = 0;

    /// <summary>
    /// The split of scikit-learn's <c>train_test_split(arange(N), stratify=labels, test_size=testFraction,
    /// random_state=seed)</c>, index for index and in its order (the first split of
    /// <c>StratifiedShuffleSplit._iter_indices</c>, sklearn/model_selection/_split.py, scikit-learn 0.22–1.5):
    /// <list type="number">
    /// <item>n_test = ceil(testFraction · N), n_train = N − n_test (<c>_validate_shuffle_split</c>).</item>
    /// <item>Classes are the distinct labels in ascending order; each class's members in ascending index order.</item>
    /// <item>With one <see cref="NumPyRandomState"/>(seed): training slots per class by
    /// <see cref="ApproximateMode"/>(class counts, n_train), then test slots by
    /// <see cref="ApproximateMode"/>(counts left, n_test).</item>
    /// <item>Per class in order, <c>permutation(count)</c> of its members: the first slots go to train, the next to test.</item>
    /// <item>Finally train = <c>permutation(train)</c>, then test = <c>permutation(test)</c>.</item>
    /// </list>
    /// Where scikit-learn refuses to split (a class with a single member, fewer train or test slots than classes)
    /// the same steps run all the same, so small maps can still be scored.
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

        var members = MembersPerPresentClass(labels);
        var counts = members.Select(m => m.Count).ToArray();
        var random = new NumPyRandomState(seed);
        var trainPerClass = ApproximateMode(counts, trainCount, random);
        var testPerClass = ApproximateMode(counts.Select((c, i) => c - trainPerClass[i]).ToArray(), testCount, random);
        var train = new List<int>(trainCount);
        var test = new List<int>(testCount);
        for (var c = 0; c < members.Length; c++)
        {
            var shuffled = random.Permutation(counts[c]).Select(p => members[c][p]).ToArray();
            train.AddRange(shuffled.Take(trainPerClass[c]));
            test.AddRange(shuffled.Skip(trainPerClass[c]).Take(testPerClass[c]));
        }
        var trainOrder = random.Permutation(train.ToArray());
        var testOrder = random.Permutation(test.ToArray());
        return new TrainTestSplit(trainOrder, testOrder);
    }

    /// <summary>
    /// A split that keeps every group on one side: the groups are split by <see cref="Stratified"/>, each group
    /// standing for its members with their most frequent label (the smallest among equals), then every group
    /// brings all its members. So photos of one lesion never score each other, and the classes stay about as
    /// balanced as a stratified split leaves them. The test fraction is a fraction of the groups.
    /// </summary>
    /// <param name="labels">Class per point.</param>
    /// <param name="groups">Group per point (any non-negative ids).</param>
    /// <param name="testFraction">Share of the groups held out for testing.</param>
    /// <param name="seed">Seed of the stratified split of the groups.</param>
    /// <exception cref="ArgumentException">Fewer than two groups, or lengths that differ.</exception>
    public static TrainTestSplit Grouped(int[] labels, int[] groups, double testFraction = DefaultTestFraction, int seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(groups);
        if (groups.Length != labels.Length) throw new ArgumentException($"{groups.Length} group ids for {labels.Length} points.");
        var members = new SortedDictionary<int, List<int>>();
        for (var i = 0; i < groups.Length; i++)
        {
            if (!members.TryGetValue(groups[i], out var list)) members[groups[i]] = list = [];
            list.Add(i);
        }
        if (members.Count < 2) throw new ArgumentException($"A grouped split needs at least two groups, found {members.Count}.");
        var groupMembers = members.Values.ToArray();
        var groupLabels = groupMembers.Select(m => m.GroupBy(i => labels[i]).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key).ToArray();
        var split = Stratified(groupLabels, testFraction, seed);
        return new TrainTestSplit(split.TrainIndices.SelectMany(g => groupMembers[g]).ToArray(),
            split.TestIndices.SelectMany(g => groupMembers[g]).ToArray());
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

    /// <summary>Members (ascending indices) of each label that occurs, labels in ascending order, as <c>np.unique</c> orders them.</summary>
    private static List<int>[] MembersPerPresentClass(int[] labels)
    {
        var byLabel = new SortedDictionary<int, List<int>>();
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0) throw new ArgumentException($"Labels must be non-negative class indices, found {labels[i]}.");
            if (!byLabel.TryGetValue(labels[i], out var members)) byLabel[labels[i]] = members = [];
            members.Add(i);
        }
        return byLabel.Values.ToArray();
    }

    /// <summary>
    /// scikit-learn's <c>_approximate_mode(class_counts, n_draws, rng)</c> (sklearn/utils/__init__.py): each class
    /// gets floor(count / total · draws) (computed in that order, in double precision), and the slots left go by
    /// descending fractional part. Within a group of equal fractional parts (classes in ascending order) it calls
    /// <c>rng.choice(group, min(group size, slots left), replace=False)</c> even when the whole group is taken,
    /// which consumes draws; those draws are part of the stream the rest of the split continues from.
    /// </summary>
    internal static int[] ApproximateMode(int[] counts, int draws, NumPyRandomState random)
    {
        double total = counts.Sum();
        var continuous = counts.Select(c => c / total * draws).ToArray();
        var allocation = continuous.Select(v => (int)Math.Floor(v)).ToArray();
        var slotsLeft = draws - allocation.Sum();
        var remainders = continuous.Select((v, c) => v - Math.Floor(v)).ToArray();
        foreach (var value in remainders.Distinct().OrderDescending())
        {
            if (slotsLeft <= 0) break;
            var group = Enumerable.Range(0, counts.Length).Where(c => remainders[c] == value).ToArray();
            var added = Math.Min(group.Length, slotsLeft);
            foreach (var c in random.ChooseWithoutReplacement(group, added)) allocation[c]++;
            slotsLeft -= added;
        }
        return allocation;
    }
}
