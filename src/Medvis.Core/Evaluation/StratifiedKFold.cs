namespace Medvis.Core.Evaluation;

/// <summary>
/// The folds of scikit-learn's <c>StratifiedKFold(n_splits, shuffle=True, random_state=seed)</c>, index for index
/// (<c>_make_test_folds</c>, sklearn/model_selection/_split.py, scikit-learn 0.22–1.5):
/// <list type="number">
/// <item>Classes are numbered in the order their first member appears in the labels.</item>
/// <item>The sorted class numbers are dealt round-robin to the folds; fold i's count of class k is its allocation.</item>
/// <item>Per class in that order, <c>arange(folds).repeat(allocation[:, k])</c> is shuffled by one
/// <see cref="NumPyRandomState"/>(seed) and assigned to the class's members in index order.</item>
/// <item>Fold i tests the points assigned i (ascending) and trains on the rest (ascending).</item>
/// </list>
/// </summary>
public static class StratifiedKFold
{
    /// <summary>The folds the linear probe uses by default (the ISImed paper's 10-fold cross-validation).</summary>
    public const int DefaultFolds = 10;

    /// <summary>Fold number (0 … folds − 1) of every point.</summary>
    public static int[] TestFolds(int[] labels, int folds = DefaultFolds, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (folds < 2) throw new ArgumentException($"Cross-validation needs at least 2 folds, got {folds}.");
        if (labels.Length < folds) throw new ArgumentException($"{labels.Length} points are too few for {folds} folds.");
        var order = new Dictionary<int, int>();
        foreach (var label in labels) order.TryAdd(label, order.Count);
        var encoded = labels.Select(l => order[l]).ToArray();
        var classCount = order.Count;
        var sorted = encoded.Order().ToArray();
        var allocation = new int[folds, classCount];
        for (var i = 0; i < sorted.Length; i++) allocation[i % folds, sorted[i]]++;
        var random = new NumPyRandomState(seed);
        var testFolds = new int[labels.Length];
        for (var k = 0; k < classCount; k++)
        {
            var forClass = new List<int>();
            for (var f = 0; f < folds; f++) forClass.AddRange(Enumerable.Repeat(f, allocation[f, k]));
            var assigned = forClass.ToArray();
            random.Shuffle(assigned);
            var next = 0;
            for (var i = 0; i < encoded.Length; i++)
                if (encoded[i] == k) testFolds[i] = assigned[next++];
        }
        return testFolds;
    }

    /// <summary>The train/test splits of the folds, in fold order.</summary>
    public static IReadOnlyList<TrainTestSplit> Splits(int[] labels, int folds = DefaultFolds, int seed = 0)
    {
        var testFolds = TestFolds(labels, folds, seed);
        return Enumerable.Range(0, folds).Select(f => new TrainTestSplit(
            Enumerable.Range(0, labels.Length).Where(i => testFolds[i] != f).ToArray(),
            Enumerable.Range(0, labels.Length).Where(i => testFolds[i] == f).ToArray())).ToList();
    }
}
