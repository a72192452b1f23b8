using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Evaluation.Tsne;

/// <summary>PCA by eigen-decomposition of the float64 covariance matrix (D×D, cheap for image-sized D).</summary>
internal static class PrincipalComponents
{
    /// <summary>Above this matrix side the eigen-solver runs in float32: float64 takes ~15 s at 2352 (RGB 28×28), float32 ~1 s.</summary>
    private const int DoublePrecisionMaxSide = 1000;

    /// <summary>
    /// Scores of the points on their top <paramref name="components"/> principal axes, N×components. The
    /// eigenproblem is solved on the smaller of the D×D covariance and the N×N Gram matrix. Each axis is signed
    /// so that its largest-magnitude loading is positive (as scikit-learn's svd_flip), which makes the result
    /// independent of the eigen-solver's sign choice.
    /// </summary>
    public static double[,] Project(float[,] points, int components)
    {
        var n = points.GetLength(0);
        var d = points.GetLength(1);
        components = Math.Min(components, Math.Min(n, d));
        using var scope = NewDisposeScope();
        // Straight from the float array to one float64 tensor centred in place: pixel matrices are large.
        var centred = tensor(points).to(float64);
        centred.sub_(centred.mean(new long[] { 0 }, keepdim: true));
        var axes = n >= d
            ? TopEigenvectors(centred.t().matmul(centred), components)
            : nn.functional.normalize(centred.t().matmul(TopEigenvectors(centred.matmul(centred.t()), components)), p: 2, dim: 0);
        var largest = axes.abs().argmax(0);
        var signs = axes.gather(0, largest.unsqueeze(0)).sign();
        using var zero = 0.0.ToScalar(); // explicit: TorchSharp 0.107 lets implicit Scalars be finalized mid-call
        signs = where(signs.eq(zero), ones_like(signs), signs);
        var scores = centred.matmul(axes * signs).contiguous();
        var values = scores.data<double>().ToArray();
        var result = new double[n, components];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(double));
        return result;
    }

    /// <summary>Eigenvectors of the symmetric matrix for its largest eigenvalues, largest first, as float64 columns.</summary>
    private static Tensor TopEigenvectors(Tensor symmetric, int count)
    {
        var side = (int)symmetric.shape[0];
        var solved = side > DoublePrecisionMaxSide ? symmetric.to(float32) : symmetric;
        var (_, vectors) = linalg.eigh(solved);
        return vectors.narrow(1, side - count, count).flip(1).to(float64);
    }

    public static float[,] ToFloat(double[,] values)
    {
        var result = new float[values.GetLength(0), values.GetLength(1)];
        for (var i = 0; i < values.GetLength(0); i++)
            for (var j = 0; j < values.GetLength(1); j++)
                result[i, j] = (float)values[i, j];
        return result;
    }
}
