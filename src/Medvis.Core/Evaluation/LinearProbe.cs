using System.Diagnostics;

namespace Medvis.Core.Evaluation;

/// <summary>Settings of <see cref="LinearProbe"/>.</summary>
/// <param name="Folds">Stratified folds (the ISImed paper's 10).</param>
/// <param name="Seed">Seed of the fold assignment (scikit-learn's <c>random_state</c>).</param>
/// <param name="Classifier">The logistic regression of each fold: an L2 penalty with scikit-learn's default C = 1, and a
/// step budget that keeps ten folds of a few thousand 512-d features within seconds on 2 cores.</param>
public sealed record LinearProbeOptions(int Folds = StratifiedKFold.DefaultFolds, int Seed = 0, LinearEvaluationOptions? Classifier = null)
{
    /// <summary>The classifier settings used.</summary>
    public LinearEvaluationOptions ClassifierOrDefault => Classifier ?? new LinearEvaluationOptions(MaxSteps: 400, InverseRegularisation: 1.0);
}

/// <summary>The k-fold linear-probe ROC-AUC of features: per fold, mean and population standard deviation over folds, and the AUC of all out-of-fold probabilities pooled.</summary>
/// <param name="Folds">Number of folds.</param>
/// <param name="FoldAuc">ROC-AUC of each fold's test part (NaN where the fold lacks a class).</param>
/// <param name="MeanAuc">Mean over the folds with a defined AUC.</param>
/// <param name="StandardDeviation">Population standard deviation over those folds.</param>
/// <param name="PooledAuc">AUC of the out-of-fold probabilities of every point at once.</param>
/// <param name="Features">Feature dimensions.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record LinearProbeResult(int Folds, double[] FoldAuc, double MeanAuc, double StandardDeviation, double PooledAuc, int Features, double Seconds);

/// <summary>
/// Evaluation as the ISImed authors did it: a linear classifier (multinomial logistic regression on standardised
/// features) trained on k − 1 stratified folds and scored by ROC-AUC on the held-out fold, for every fold. Two
/// classes give the binary AUC; more give the macro one-vs-rest AUC (<see cref="RocAuc"/>).
/// </summary>
public static class LinearProbe
{
    /// <summary>Cross-validated ROC-AUC of <paramref name="features"/> for <paramref name="labels"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than two classes, or fewer points than folds.</exception>
    public static LinearProbeResult Evaluate(float[,] features, int[] labels, LinearProbeOptions? options = null)
    {
        PointMatrix.CheckPointsAndLabels(features, labels);
        options ??= new LinearProbeOptions();
        if (labels.Distinct().Count() < 2) throw new ArgumentException("The linear probe needs at least two classes.");
        var watch = Stopwatch.StartNew();
        var classCount = PointMatrix.ClassCount(labels);
        var pooled = new double[labels.Length, classCount];
        var foldAuc = new List<double>();
        foreach (var split in StratifiedKFold.Splits(labels, options.Folds, options.Seed))
        {
            var probabilities = LinearEvaluation.TestProbabilities(features, labels, split, classCount, options.ClassifierOrDefault);
            for (var row = 0; row < split.TestIndices.Length; row++)
                for (var c = 0; c < classCount; c++) pooled[split.TestIndices[row], c] = probabilities[row, c];
            foldAuc.Add(RocAuc.Score(split.TestIndices.Select(i => labels[i]).ToArray(), probabilities));
        }
        var defined = foldAuc.Where(a => !double.IsNaN(a)).ToArray();
        var mean = defined.Length == 0 ? double.NaN : defined.Average();
        var sd = defined.Length == 0 ? double.NaN : Math.Sqrt(defined.Select(a => (a - mean) * (a - mean)).Average());
        return new LinearProbeResult(options.Folds, [.. foldAuc], mean, sd, RocAuc.Score(labels, pooled), features.GetLength(1), watch.Elapsed.TotalSeconds);
    }
}
