using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Training;

/// <summary>
/// The ISImed loss (Jabareen, Yuan, Lukassen): for the K crops of each image, the matrix of Euclidean distances
/// between their embeddings should equal the matrix of physical distances between their centres. The penalty of
/// each difference is averaged over the K(K−1)/2 pairs of every image (a pair of crops of different images has
/// no physical distance and does not count). Computed in float32.
/// </summary>
/// <remarks>
/// Numbers reach libtorch only as explicit Scalars held by locals (TorchSharp 0.107 lets implicit ones be
/// finalized mid-call). Latent distances are √(d² + ε), so the gradient stays finite for crops embedded on one point.
/// </remarks>
public static class IsimedLoss
{
    /// <summary>Keeps the square root's gradient finite at zero distance; far below any distance that matters.</summary>
    private const double Epsilon = 1e-10;

    /// <summary>
    /// The mean penalty. <paramref name="embeddings"/>: (B·K)×D, the K crops of image 0 first (as
    /// <see cref="Augmentation.PositionCrops"/> lays them out); <paramref name="centres"/>: B×K×2 in pixels;
    /// <paramref name="pixelsPerUnit"/>: what one unit of physical distance is in pixels (the image's longer side for
    /// relative distances, 1 for pixels). Returns a float32 scalar tensor that keeps the graph.
    /// </summary>
    public static Tensor Compute(Tensor embeddings, Tensor centres, double pixelsPerUnit, IsimedPenalty penalty)
    {
        if (centres.dim() != 3 || centres.shape[2] != 2 || centres.shape[1] < 2)
            throw new ArgumentException($"ISImed needs B×K×2 crop centres with K ≥ 2, got [{string.Join(", ", centres.shape)}].");
        var (images, crops) = (centres.shape[0], centres.shape[1]);
        if (embeddings.dim() != 2 || embeddings.shape[0] != images * crops)
            throw new ArgumentException($"ISImed needs {images * crops}×D embeddings for {images} images of {crops} crops, got [{string.Join(", ", embeddings.shape)}].");
        if (!double.IsFinite(pixelsPerUnit) || pixelsPerUnit <= 0)
            throw new ArgumentException($"Pixels per unit of distance must be positive, got {pixelsPerUnit}.", nameof(pixelsPerUnit));
        using var scope = NewDisposeScope();
        using var epsilon = Epsilon.ToScalar();
        using var unit = pixelsPerUnit.ToScalar();
        var latent = PairwiseSquaredDistances(embeddings.to_type(ScalarType.Float32).reshape(images, crops, -1)).add_(epsilon).sqrt();
        var physical = PairwiseSquaredDistances(centres.to_type(ScalarType.Float32).div(unit)).sqrt().detach();
        var difference = latent.sub(physical);
        var penalties = penalty == IsimedPenalty.Squared ? difference.mul(difference) : difference.abs();
        return penalties.masked_select(DistinctPairs(crops, embeddings.device)).mean().MoveToOuterDisposeScope();
    }

    /// <summary>B×K×K squared distances between the rows of each B×K×D block.</summary>
    private static Tensor PairwiseSquaredDistances(Tensor points)
    {
        var differences = points.unsqueeze(2).sub(points.unsqueeze(1));
        return differences.mul(differences).sum(-1);
    }

    /// <summary>K×K mask of the pairs i &lt; j (each unordered pair once, no crop with itself); broadcasts over images.</summary>
    private static Tensor DistinctPairs(long crops, Device device) =>
        ones(crops, crops, dtype: ScalarType.Bool, device: device).triu(1);
}
