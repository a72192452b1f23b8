namespace Medvis.Core.Evaluation;

/// <summary>
/// The kNN accuracy a training run reports on its fixed snapshot subset epoch by epoch: 128-d outputs in stage 1
/// (so the first and longest stage is not blind), 2-D map coordinates in stages 2 and 3. The same classifier and
/// scikit-learn split as every reported map (k = 15, stratified 9:1, seed 0), on the subset only, so it costs one
/// forward pass over the subset and a brute-force search of a few hundred thousand distances.
/// </summary>
public static class SnapshotKnn
{
    /// <summary>
    /// The accuracy on the seed-0 split of <paramref name="points"/>; null when the subset cannot be split or scored
    /// (too few points, a non-finite coordinate), which a live chart simply leaves out.
    /// </summary>
    public static double? Accuracy(float[,] points, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(labels);
        try
        {
            PointMatrix.CheckPointsAndLabels(points, labels);
            var split = TrainTestSplit.Stratified(labels);
            return KnnEvaluation.Evaluate(points, labels, split, Math.Min(KnnEvaluation.DefaultK, split.TrainIndices.Length)).Accuracy;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
