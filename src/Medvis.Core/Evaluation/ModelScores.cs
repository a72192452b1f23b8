using System.Diagnostics;
using Medvis.Core.Data;
using Medvis.Core.Training;

namespace Medvis.Core.Evaluation;

/// <summary>Settings of <see cref="ModelScores"/>.</summary>
/// <param name="MaxProbeImages">The linear probe reads at most this many images (a seeded subset), to bound its ten fits on large sets.</param>
/// <param name="Probe">Folds and classifier of the linear probe.</param>
/// <param name="Positional">Crops of the positional R².</param>
public sealed record ModelScoreOptions(int MaxProbeImages = 5000, LinearProbeOptions? Probe = null, PositionalProbeOptions? Positional = null)
{
    public static ModelScoreOptions Default { get; } = new();
}

/// <summary>
/// The scores of a trained model that the ISImed paper reports, beside a map's kNN and silhouette: the k-fold
/// linear-probe ROC-AUC of its backbone features and the held-out R² of crop position from them. Computed for every
/// stage-1 objective, so the objectives compare on the same numbers.
/// </summary>
public static class ModelScores
{
    /// <summary>Feature space name in the metrics.</summary>
    public const string BackboneFeatures = "backbone features";

    /// <summary>Linear-probe AUC (null with fewer than two classes or too few images for the folds) and positional R² (null under 4 images) of <paramref name="model"/> on <paramref name="images"/>.</summary>
    public static (LinearProbeScore? Probe, PositionalScore? Positional) Compute(TSimCneModel model, ImageDataset images, ModelScoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        options ??= ModelScoreOptions.Default;
        var probe = ProbeFeatures(images, options, subset => model.Features(subset), BackboneFeatures);
        if (images.Count < 4) return (probe, null);
        var watch = Stopwatch.StartNew();
        var positionalOptions = options.Positional ?? new PositionalProbeOptions(CropFraction: model.Options.Isimed.CropFraction);
        var positional = PositionalProbe.Evaluate(model, images, positionalOptions);
        var used = Math.Min(images.Count, positionalOptions.Images);
        return (probe, PositionalScore.From(BackboneFeatures, used, positionalOptions.CropFraction, positional, watch.Elapsed.TotalSeconds));
    }

    /// <summary>The k-fold linear probe of features computed per image by <paramref name="features"/> on a seeded subset; null when it cannot run (one class, fewer images than folds, or a class smaller than two).</summary>
    public static LinearProbeScore? ProbeFeatures(ImageDataset images, ModelScoreOptions options, Func<ImageDataset, float[,]> features, string space)
    {
        ArgumentNullException.ThrowIfNull(features);
        var probeOptions = options.Probe ?? new LinearProbeOptions();
        var subset = images.Count > options.MaxProbeImages ? images.Subset(SeededSubset.Choose(images.Count, options.MaxProbeImages, probeOptions.Seed)) : images;
        var counts = subset.Labels.GroupBy(l => l).Select(g => g.Count()).ToList();
        if (counts.Count < 2 || subset.Count < probeOptions.Folds || counts.Min() < 2) return null;
        var watch = Stopwatch.StartNew();
        var result = LinearProbe.Evaluate(features(subset), subset.Labels, probeOptions);
        return LinearProbeScore.From(space, subset.Count, result, watch.Elapsed.TotalSeconds);
    }

    /// <summary>The metrics with the model's scores added.</summary>
    public static MetricsReport AddTo(MetricsReport metrics, TSimCneModel model, ImageDataset images, ModelScoreOptions? options = null)
    {
        var (probe, positional) = Compute(model, images, options);
        return metrics with { LinearProbe = probe, Positional = positional };
    }
}
