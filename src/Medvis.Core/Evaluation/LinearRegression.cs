using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Evaluation;

/// <summary>
/// Held-out R² of a ridge regression (float64): features standardised and targets centred with the training rows'
/// statistics, weights from the normal equations (XᵀX + λ·n·I) β = Xᵀy, then scored on the test rows.
/// </summary>
public static class LinearRegression
{
    /// <summary>
    /// R² per target column on <paramref name="testRows"/> (1 − residual / total sum of squares around the test rows'
    /// mean, as scikit-learn's <c>r2_score</c>), for a fit on <paramref name="trainRows"/>. The tiny default ridge only
    /// keeps the system solvable when features are collinear.
    /// </summary>
    public static double[] HeldOutRSquared(float[,] features, float[,] targets, int[] trainRows, int[] testRows, double ridge = 1e-6)
    {
        if (features.GetLength(0) != targets.GetLength(0))
            throw new ArgumentException($"{features.GetLength(0)} feature rows but {targets.GetLength(0)} target rows.");
        if (trainRows.Length < 2 || testRows.Length < 2) throw new ArgumentException("The regression needs at least 2 training and 2 test rows.");
        using var scope = NewDisposeScope();
        var (x, y) = (ToTensor(features), ToTensor(targets));
        var (trainX, trainY) = (Rows(x, trainRows), Rows(y, trainRows));
        var (testX, testY) = (Rows(x, testRows), Rows(y, testRows));
        var featureMean = trainX.mean([0L], keepdim: true);
        using var smallestStd = 1e-12.ToScalar();
        var featureStd = trainX.std(0, unbiased: false, keepdim: true).clamp_min(smallestStd);
        var targetMean = trainY.mean([0L], keepdim: true);
        var standardTrain = trainX.sub(featureMean).div(featureStd);
        var standardTest = testX.sub(featureMean).div(featureStd);
        using var penalty = (ridge * trainRows.Length).ToScalar();
        using var one = 1.0.ToScalar();
        var gram = standardTrain.t().matmul(standardTrain)
            .add(eye(standardTrain.shape[1], dtype: ScalarType.Float64).mul(penalty), one);
        var weights = linalg.solve(gram, standardTrain.t().matmul(trainY.sub(targetMean)));
        var residual = testY.sub(standardTest.matmul(weights).add(targetMean, one));
        var spread = testY.sub(testY.mean([0L], keepdim: true));
        var residualSum = residual.mul(residual).sum([0L]).data<double>().ToArray();
        var totalSum = spread.mul(spread).sum([0L]).data<double>().ToArray();
        return residualSum.Select((r, i) => totalSum[i] > 0 ? 1 - r / totalSum[i] : double.NaN).ToArray();
    }

    private static Tensor ToTensor(float[,] values) =>
        tensor(PointMatrix.RowMajor(values, Enumerable.Range(0, values.GetLength(0)).ToArray()),
            new long[] { values.GetLength(0), values.GetLength(1) }, ScalarType.Float64);

    private static Tensor Rows(Tensor values, int[] rows) =>
        values.index_select(0, tensor(rows.Select(r => (long)r).ToArray()));
}
