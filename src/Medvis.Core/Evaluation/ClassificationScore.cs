namespace Medvis.Core.Evaluation;

/// <summary>Accuracy and per-class recall of predictions on a test split, shared by the kNN and linear evaluations.</summary>
internal static class ClassificationScore
{
    /// <summary>
    /// Scores <paramref name="predictions"/> (one per entry of <paramref name="testIndices"/>) against the labels.
    /// A class without test points gets recall NaN, so callers can tell "undefined" from 0.
    /// </summary>
    public static (double Accuracy, double[] Recall, int[] TestCounts) Compute(int[] testIndices, int[] predictions, int[] labels, int classCount)
    {
        var hits = new int[classCount];
        var totals = new int[classCount];
        for (var t = 0; t < testIndices.Length; t++)
        {
            var truth = labels[testIndices[t]];
            totals[truth]++;
            if (predictions[t] == truth) hits[truth]++;
        }
        var recall = Enumerable.Range(0, classCount)
            .Select(c => totals[c] == 0 ? double.NaN : (double)hits[c] / totals[c]).ToArray();
        return ((double)hits.Sum() / testIndices.Length, recall, totals);
    }
}
