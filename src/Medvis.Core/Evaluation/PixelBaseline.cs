using Medvis.Core.Data;
using Medvis.Core.Evaluation.Tsne;

namespace Medvis.Core.Evaluation;

/// <summary>The t-SNE of a dataset's pixels (openTSNE defaults), scored like a learned map: the one-minute baseline every map must beat.</summary>
public static class PixelBaseline
{
    /// <summary>The most images the baseline embeds: above it, Barnes–Hut t-SNE of raw pixels takes longer than a short run itself.</summary>
    public const int MaxImages = 50_000;

    /// <summary>The baseline map and its scores, or null when the dataset has more than <see cref="MaxImages"/> images.</summary>
    public static (float[,] Coordinates, MetricsReport Metrics)? Compute(ImageDataset images, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count > MaxImages || images.Count < 4) return null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var tsne = TsneEmbedding.Run(ImageFeatures.Pixels(images), TsneOptions.Default, cancellationToken: cancellation);
        var seconds = clock.Elapsed.TotalSeconds;
        var metrics = MapEvaluator.Evaluate(tsne.Embedding, images).WithMethod("t-SNE (pixels)");
        return (tsne.Embedding, metrics with { Timings = metrics.Timings with { EmbeddingSeconds = seconds } });
    }
}
