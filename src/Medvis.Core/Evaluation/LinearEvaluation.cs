using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Evaluation;

/// <summary>Settings of the linear probe: full-batch Adam on the multinomial log-likelihood (unpenalised unless <paramref name="InverseRegularisation"/> is set).</summary>
/// <param name="MaxSteps">Upper bound on optimisation steps.</param>
/// <param name="Tolerance">Stop when the loss improves by less than this over 20 steps.</param>
/// <param name="LearningRate">Adam step size.</param>
/// <param name="InverseRegularisation">scikit-learn's <c>C</c> of an L2 penalty (the loss is mean cross-entropy + ‖W‖² / (2·C·n)); null: no penalty.</param>
public sealed record LinearEvaluationOptions(int MaxSteps = 2000, double LearningRate = 0.05, double Tolerance = 1e-7,
    double? InverseRegularisation = null)
{
    public static LinearEvaluationOptions Default { get; } = new();
}

/// <summary>Linear-probe accuracy of features on a split.</summary>
/// <param name="Predictions">Predicted class per test point, in the order of the split's test indices.</param>
/// <param name="PerClassRecall">Recall per class on the test part; NaN where a class has no test points.</param>
/// <param name="TestAccuracy">Accuracy on the test part.</param>
/// <param name="TrainAccuracy">Accuracy on the training part.</param>
/// <param name="Steps">Optimisation steps taken.</param>
/// <param name="FinalLoss">Mean cross-entropy on the training part at the end.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record LinearEvaluationResult(
    double TestAccuracy,
    double TrainAccuracy,
    int[] Predictions,
    double[] PerClassRecall,
    int Steps,
    double FinalLoss,
    TimeSpan Elapsed);

/// <summary>
/// Linear evaluation of high-dimensional features (the paper's Table 5): features are standardised with the
/// training part's mean and standard deviation, a multinomial logistic regression without penalty is fitted on
/// the training part (float64, full batch), and its accuracy on the test part is reported.
/// </summary>
public static class LinearEvaluation
{
    /// <summary>Linear-probe accuracy on a seeded stratified 9:1 split.</summary>
    public static LinearEvaluationResult Evaluate(float[,] features, int[] labels, LinearEvaluationOptions? options = null) =>
        Evaluate(features, labels, TrainTestSplit.Stratified(labels), options);

    /// <summary>Linear-probe accuracy on an explicit split.</summary>
    public static LinearEvaluationResult Evaluate(float[,] features, int[] labels, TrainTestSplit split, LinearEvaluationOptions? options = null)
    {
        PointMatrix.CheckPointsAndLabels(features, labels);
        split.Validate(labels.Length);
        options ??= LinearEvaluationOptions.Default;
        if (options.MaxSteps < 1 || !(options.LearningRate > 0))
            throw new ArgumentException($"Linear evaluation needs at least one step and a positive learning rate ({options.MaxSteps}, {options.LearningRate}).");

        var watch = Stopwatch.StartNew();
        var classCount = PointMatrix.ClassCount(labels);
        using var scope = NewDisposeScope();
        var (standardTrain, standardTest, weights, bias, steps, loss) = FitOnSplit(features, labels, split, classCount, options);
        using (no_grad())
        {
            using var one = 1.0.ToScalar(); // explicit: TorchSharp 0.107 lets implicit Scalars be finalized mid-call
            var testPredictions = standardTest.matmul(weights).add(bias, one).argmax(1).data<long>().Select(p => (int)p).ToArray();
            var trainPredictions = standardTrain.matmul(weights).add(bias, one).argmax(1).data<long>().ToArray();
            var trainHits = trainPredictions.Where((p, t) => p == labels[split.TrainIndices[t]]).Count();
            var (accuracy, recall, _) = ClassificationScore.Compute(split.TestIndices, testPredictions, labels, classCount);
            return new LinearEvaluationResult(accuracy, (double)trainHits / split.TrainIndices.Length, testPredictions, recall,
                steps, loss, watch.Elapsed);
        }
    }

    /// <summary>
    /// Class probabilities (softmax of the fitted model) of the test points, rows in the order of the split's test
    /// indices, columns per class 0 … max label; what the k-fold ROC-AUC of <see cref="LinearProbe"/> scores.
    /// </summary>
    public static double[,] TestProbabilities(float[,] features, int[] labels, TrainTestSplit split, int classCount, LinearEvaluationOptions? options = null)
    {
        PointMatrix.CheckPointsAndLabels(features, labels);
        split.Validate(labels.Length);
        options ??= LinearEvaluationOptions.Default;
        using var scope = NewDisposeScope();
        var (_, standardTest, weights, bias, _, _) = FitOnSplit(features, labels, split, classCount, options);
        using (no_grad())
        {
            using var one = 1.0.ToScalar(); // explicit: TorchSharp 0.107 lets implicit Scalars be finalized mid-call
            var probabilities = nn.functional.softmax(standardTest.matmul(weights).add(bias, one), 1).contiguous().data<double>().ToArray();
            var result = new double[split.TestIndices.Length, classCount];
            Buffer.BlockCopy(probabilities, 0, result, 0, probabilities.Length * sizeof(double));
            return result;
        }
    }

    /// <summary>(x − mean) / std with the training part's statistics; constant features are only centred.</summary>
    /// <summary>
    /// Standardises the split's train and test features by the train statistics and fits the model on the train part;
    /// the tensors belong to the caller's dispose scope.
    /// </summary>
    private static (Tensor StandardTrain, Tensor StandardTest, Tensor Weights, Tensor Bias, int Steps, double Loss) FitOnSplit(
        float[,] features, int[] labels, TrainTestSplit split, int classCount, LinearEvaluationOptions options)
    {
        var d = features.GetLength(1);
        var train = tensor(PointMatrix.RowMajor(features, split.TrainIndices), new long[] { split.TrainIndices.Length, d }, float64);
        var test = tensor(PointMatrix.RowMajor(features, split.TestIndices), new long[] { split.TestIndices.Length, d }, float64);
        var trainTargets = tensor(split.TrainIndices.Select(i => (long)labels[i]).ToArray());
        var (standardTrain, standardTest) = Standardise(train, test);
        var (weights, bias, steps, loss) = Fit(standardTrain, trainTargets, classCount, options);
        return (standardTrain, standardTest, weights, bias, steps, loss);
    }

    private static (Tensor Train, Tensor Test) Standardise(Tensor train, Tensor test)
    {
        var mean = train.mean(new long[] { 0 }, keepdim: true);
        var std = train.std(0, unbiased: false, keepdim: true);
        using var zero = 0.0.ToScalar(); // explicit: TorchSharp 0.107 lets implicit Scalars be finalized mid-call
        std = where(std.gt(zero), std, ones_like(std));
        return ((train - mean) / std, (test - mean) / std);
    }

    private static (Tensor Weights, Tensor Bias, int Steps, double Loss) Fit(Tensor x, Tensor targets, int classCount, LinearEvaluationOptions options)
    {
        var weights = new TorchSharp.Modules.Parameter(zeros(x.shape[1], classCount, float64));
        var bias = new TorchSharp.Modules.Parameter(zeros(classCount, float64));
        using var optimizer = optim.Adam(new[] { weights, bias }, options.LearningRate);
        using var penalty = options.InverseRegularisation is { } c ? (1.0 / (2 * c * x.shape[0])).ToScalar() : null;
        var history = new List<double>();
        var steps = 0;
        for (; steps < options.MaxSteps; steps++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            using var one = 1.0.ToScalar();
            var loss = nn.functional.cross_entropy(x.matmul(weights).add(bias, one), targets);
            if (penalty is not null) loss = loss.add(weights.mul(weights).sum().mul(penalty), one);
            loss.backward();
            optimizer.step();
            history.Add(loss.item<double>());
            if (history.Count > 20 && history[^21] - history[^1] < options.Tolerance) { steps++; break; }
        }
        return (weights.detach(), bias.detach(), steps, history[^1]);
    }
}
