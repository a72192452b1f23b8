namespace Medvis.Core.Evaluation.Tsne;

/// <summary>
/// t-SNE settings; the defaults follow openTSNE (perplexity 30, PCA initialisation, early exaggeration 12
/// for 250 iterations, then 500 more) with the classic momentum schedule 0.5 → 0.8.
/// </summary>
/// <param name="LearningRate">Step size; null means openTSNE's "auto": max(N / exaggeration, 50) in each phase.</param>
/// <param name="MaxPcaDimensions">Inputs with more dimensions are first reduced to this many by PCA.</param>
/// <param name="Theta">Barnes–Hut opening angle (0.5: a cell is summarised when width / distance &lt; 0.5).</param>
/// <param name="MaxStepNorm">Largest step a point may take in one iteration (openTSNE's guard against blow-ups).</param>
/// <param name="Perplexity">Effective number of neighbours of the Gaussian affinities.</param>
/// <param name="EarlyExaggeration">Factor on the attraction during the first phase.</param>
/// <param name="EarlyExaggerationIterations">Length of the first phase.</param>
/// <param name="Iterations">Length of the normal phase.</param>
/// <param name="EarlyMomentum">Momentum in the first phase.</param>
/// <param name="Momentum">Momentum in the normal phase.</param>
/// <param name="MinGain">Floor of the per-coordinate gains.</param>
public sealed record TsneOptions(
    double Perplexity = 30,
    double EarlyExaggeration = 12,
    int EarlyExaggerationIterations = 250,
    int Iterations = 500,
    double? LearningRate = null,
    double EarlyMomentum = 0.5,
    double Momentum = 0.8,
    double Theta = 0.5,
    int MaxPcaDimensions = 100,
    double MaxStepNorm = 5,
    double MinGain = 0.01)
{
    public static TsneOptions Default { get; } = new();

    /// <summary>Throws a one-line <see cref="ArgumentException"/> for values t-SNE cannot run with.</summary>
    public void Validate()
    {
        if (!(Perplexity > 0)) throw new ArgumentException($"Perplexity must be positive, got {Perplexity}.");
        if (!(EarlyExaggeration >= 1)) throw new ArgumentException($"Early exaggeration must be at least 1, got {EarlyExaggeration}.");
        if (EarlyExaggerationIterations < 0 || Iterations < 0)
            throw new ArgumentException($"Iteration counts must not be negative ({EarlyExaggerationIterations}, {Iterations}).");
        if (LearningRate is { } rate && !(rate > 0)) throw new ArgumentException($"Learning rate must be positive, got {rate}.");
        if (!(Theta >= 0 && Theta < 2)) throw new ArgumentException($"Barnes–Hut theta must lie in [0, 2), got {Theta}.");
        if (!(MaxStepNorm > 0) || !(MinGain >= 0)) throw new ArgumentException($"Step norm must be positive and minimum gain non-negative ({MaxStepNorm}, {MinGain}).");
        if (!(EarlyMomentum is >= 0 and < 1) || !(Momentum is >= 0 and < 1)) throw new ArgumentException($"Momentum must lie in [0, 1) ({EarlyMomentum}, {Momentum}).");
        if (MaxPcaDimensions < 2) throw new ArgumentException($"PCA needs at least 2 dimensions, got {MaxPcaDimensions}.");
    }
}

/// <summary>Where a t-SNE run stands.</summary>
public sealed record TsneProgress(int Iteration, int TotalIterations, bool EarlyExaggeration);

/// <summary>A finished t-SNE embedding and what it cost.</summary>
/// <param name="Embedding">N×2 coordinates.</param>
/// <param name="InputDimensions">Dimensions after the optional PCA.</param>
/// <param name="Perplexity">Perplexity used (lowered to (N − 1) / 3 for tiny sets, as openTSNE does).</param>
/// <param name="Neighbours">Nearest neighbours per point behind P (3 · perplexity).</param>
/// <param name="PreparationTime">PCA, neighbours and affinities.</param>
/// <param name="OptimisationTime">Gradient descent.</param>
public sealed record TsneResult(
    float[,] Embedding,
    int InputDimensions,
    double Perplexity,
    int Neighbours,
    TimeSpan PreparationTime,
    TimeSpan OptimisationTime);
