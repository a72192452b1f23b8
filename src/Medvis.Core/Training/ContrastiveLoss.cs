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
/// far-apart points (q → 0) never underflow.
/// </summary>
public static class ContrastiveLoss
{
    /// <summary>SimCLR's temperature.</summary>
    public const double CosineTemperature = 0.5;

    /// <summary>The mean loss over all 2b rows (a scalar tensor that keeps the graph).</summary>
    public static Tensor Compute(Tensor embeddings, ContrastiveMetric metric)
    {
        var rows = embeddings.shape[0];
        if (embeddings.dim() != 2 || rows < 4 || rows % 2 != 0)
            throw new ArgumentException($"InfoNCE needs a 2-D tensor of 2b rows (b ≥ 2), got shape [{string.Join(", ", embeddings.shape)}].");
        using var scope = NewDisposeScope();
        var logSimilarity = metric == ContrastiveMetric.Cauchy ? CauchyLogSimilarity(embeddings) : CosineLogSimilarity(embeddings);
        var half = rows / 2;
        var positives = arange(rows, device: embeddings.device).add_(half).remainder_(rows);
        var positiveLog = logSimilarity.gather(1, positives.unsqueeze(1)).squeeze(1);
        var self = eye(rows, dtype: ScalarType.Bool, device: embeddings.device);
        var denominatorLog = logSimilarity.masked_fill(self, double.NegativeInfinity).logsumexp(1);
        return (denominatorLog - positiveLog).mean().MoveToOuterDisposeScope();
    }

    /// <summary>log q_ij = −log(1 + ‖z_i − z_j‖²), from squared distances built without a square root (finite gradients at d = 0).</summary>
    private static Tensor CauchyLogSimilarity(Tensor z)
    {
        var squaredNorms = z.square().sum(1);
        var squaredDistances = (squaredNorms.unsqueeze(1) + squaredNorms.unsqueeze(0) - 2 * z.matmul(z.t())).clamp_min(0);
        return squaredDistances.log1p().neg();
    }

    private static Tensor CosineLogSimilarity(Tensor z)
    {
        var unit = nn.functional.normalize(z, p: 2, dim: 1);
        return unit.matmul(unit.t()) / CosineTemperature;
    }
}
