using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Training;

/// <summary>Which similarity the InfoNCE loss uses.</summary>
public enum ContrastiveMetric
{
    /// <summary>t-SimCNE: Cauchy kernel q = 1/(1 + d²) on raw outputs (Eq. 2 of Böhm et al.).</summary>
    Cauchy,
    /// <summary>SimCLR: cosine similarity / 0.5 on L2-normalised outputs (Eq. 1).</summary>
    Cosine,
}

/// <summary>
/// InfoNCE over a batch of 2b embeddings laid out as [view a of images 0..b-1; view b of the same images].
/// Every row's positive is its other view; the other 2b−2 rows are negatives; the positive also sits in the
/// denominator (NT-Xent), and the loss averages both directions. Computed in log space with logsumexp, so
/// far-apart points (q → 0) never underflow. Always computed in float32, whatever type the network computes in.
/// </summary>
/// <remarks>
/// Every number handed to libtorch is an explicit Scalar held by a local until the call returns: TorchSharp 0.107
/// does not keep implicitly converted ones alive (nor those it makes itself, as in <c>add(t)</c>, <c>square()</c>,
/// <c>arange(n)</c>), and a garbage collection finalizing one mid-call corrupts the operation.
/// </remarks>
public static class ContrastiveLoss
{
    /// <summary>SimCLR's temperature.</summary>
    public const double CosineTemperature = 0.5;

    /// <summary>The mean loss over all 2b rows (a float32 scalar tensor that keeps the graph).</summary>
    public static Tensor Compute(Tensor embeddings, ContrastiveMetric metric)
    {
        var rows = embeddings.shape[0];
        if (embeddings.dim() != 2 || rows < 4 || rows % 2 != 0)
            throw new ArgumentException($"InfoNCE needs a 2-D tensor of 2b rows (b ≥ 2), got shape [{string.Join(", ", embeddings.shape)}].");
        using var scope = NewDisposeScope();
        using var negativeInfinity = double.NegativeInfinity.ToScalar();
        var z = embeddings.to_type(ScalarType.Float32);
        var logSimilarity = metric == ContrastiveMetric.Cauchy ? CauchyLogSimilarity(z) : CosineLogSimilarity(z);
        var positives = tensor(PositiveIndices(rows), device: embeddings.device);
        var positiveLog = logSimilarity.gather(1, positives.unsqueeze(1)).squeeze(1);
        var self = eye(rows, dtype: ScalarType.Bool, device: embeddings.device);
        var denominatorLog = logSimilarity.masked_fill(self, negativeInfinity).logsumexp(1);
        return denominatorLog.sub(positiveLog).mean().MoveToOuterDisposeScope();
    }

    /// <summary>Row i's positive: the other view of the same image, i + b modulo 2b.</summary>
    private static long[] PositiveIndices(long rows)
    {
        var half = rows / 2;
        var indices = new long[rows];
        for (var i = 0L; i < rows; i++) indices[i] = (i + half) % rows;
        return indices;
    }

    /// <summary>log q_ij = −log(1 + ‖z_i − z_j‖²), from squared distances built without a square root (finite gradients at d = 0).</summary>
    private static Tensor CauchyLogSimilarity(Tensor z)
    {
        using var one = 1.0.ToScalar();
        using var zero = 0.0.ToScalar();
        var squaredNorms = z.mul(z).sum(1);
        var normSums = squaredNorms.unsqueeze(1).add(squaredNorms.unsqueeze(0), one);
        var squaredDistances = addmm(normSums, z, z.t(), beta: 1, alpha: -2).clamp_min(zero);
        return squaredDistances.log1p().neg();
    }

    private static Tensor CosineLogSimilarity(Tensor z)
    {
        using var temperature = CosineTemperature.ToScalar();
        var unit = nn.functional.normalize(z, p: 2, dim: 1);
        return unit.matmul(unit.t()).div(temperature);
    }
}
