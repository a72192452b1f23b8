namespace Medvis.Core.Evaluation;

/// <summary>
/// Area under the ROC curve as scikit-learn's <c>roc_auc_score</c> computes it: for two classes the Mann–Whitney
/// statistic with tied scores counted half (equal to the trapezoidal area under the ROC curve); for several, the
/// unweighted mean of the one-vs-rest areas (<c>multi_class="ovr", average="macro"</c>).
/// </summary>
public static class RocAuc
{
    /// <summary>AUC of <paramref name="scores"/> for telling the positives from the rest; NaN when either group is empty.</summary>
    public static double Binary(bool[] positive, double[] scores)
    {
        ArgumentNullException.ThrowIfNull(positive);
        ArgumentNullException.ThrowIfNull(scores);
        if (positive.Length != scores.Length) throw new ArgumentException($"{positive.Length} labels but {scores.Length} scores.");
        var positives = positive.Count(p => p);
        var negatives = positive.Length - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        // Midranks: a group of tied scores shares the mean of the ranks it spans.
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        var rankSum = 0.0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            var midrank = (start + end) / 2.0 + 1;
            for (var i = start; i <= end; i++)
                if (positive[order[i]]) rankSum += midrank;
            start = end + 1;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>
    /// Binary AUC of the last class's probability when there are two classes (as scikit-learn scores
    /// <c>predict_proba[:, 1]</c>), else the macro one-vs-rest AUC over the classes that have both positives and
    /// negatives among <paramref name="labels"/>; NaN when none has.
    /// </summary>
    /// <param name="labels">Class index per row.</param>
    /// <param name="probabilities">Rows × classes.</param>
    public static double Score(int[] labels, double[,] probabilities)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (labels.Length != probabilities.GetLength(0)) throw new ArgumentException($"{labels.Length} labels but {probabilities.GetLength(0)} score rows.");
        var classes = probabilities.GetLength(1);
        double[] Column(int c) => Enumerable.Range(0, labels.Length).Select(i => probabilities[i, c]).ToArray();
        if (classes == 2) return Binary(labels.Select(l => l == 1).ToArray(), Column(1));
        var areas = Enumerable.Range(0, classes)
            .Select(c => Binary(labels.Select(l => l == c).ToArray(), Column(c)))
            .Where(a => !double.IsNaN(a)).ToList();
        return areas.Count == 0 ? double.NaN : areas.Average();
    }
}
