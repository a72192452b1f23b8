using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Augmentation;

/// <summary>
/// Makes random views of a batch of images on the images' device (CPU or CUDA), as the reference pipelines do per
/// PIL image (spec §5), in this order: 90° turn (p 0.5) → arbitrary rotation U[−max, max] (always, when enabled;
/// outside corners take the border colour) → RandomResizedCrop → horizontal flip (p 0.5) → vertical flip (p 0.5)
/// → colour jitter (p 0.8) → greyscale (p 0.2). Call <see cref="Augment"/> twice on the same batch for the two
/// contrastive views. All geometric steps are one affine resampling per image; colour steps are tensor arithmetic.
/// </summary>
/// <remarks>
/// The per-view random choices are drawn from <c>generator</c> on the CPU, so a seed gives the same views on any
/// device; output on CPU is then deterministic. The generator is the caller's and is not disposed here.
/// Not thread-safe: use one augmenter (and generator) per training loop.
/// </remarks>
public sealed class BatchAugmenter : IDisposable
{
    private readonly float[] _borderColor;
    private readonly ViewParameterSampler _sampler;
    private readonly Dictionary<string, Tensor> _fillByDevice = new();

    /// <summary>Creates an augmenter.</summary>
    /// <param name="options">Which transforms are on.</param>
    /// <param name="borderColor01">Fill colour for pixels outside the rotated image, per channel, 0..1 (length C).</param>
    /// <param name="generator">A CPU generator, the only source of randomness.</param>
    public BatchAugmenter(AugmentationOptions options, float[] borderColor01, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(borderColor01);
        ArgumentNullException.ThrowIfNull(generator);
        if (borderColor01.Length is not (1 or 3))
            throw new ArgumentException($"The border colour needs 1 or 3 channel values, not {borderColor01.Length}.", nameof(borderColor01));
        if (borderColor01.Any(c => !float.IsFinite(c) || c < 0 || c > 1))
            throw new ArgumentException($"The border colour must lie in 0..1 per channel, got ({string.Join(", ", borderColor01)}).", nameof(borderColor01));
        options.Validate();
        Options = options;
        _borderColor = (float[])borderColor01.Clone();
        _sampler = new ViewParameterSampler(options, generator);
    }

    /// <summary>The transforms this augmenter applies.</summary>
    public AugmentationOptions Options { get; }

    /// <summary>
    /// One random view of each image. <paramref name="images"/>: float32 N×C×H×W in [0, 1] on any device, C equal to
    /// the border colour's length. Returns a new tensor of the same shape, type and device, values in [0, 1].
    /// </summary>
    public Tensor Augment(Tensor images)
    {
        CheckImages(images);
        var views = _sampler.Sample((int)images.shape[0], (int)images.shape[2], (int)images.shape[3]);
        return Apply(images, views);
    }

    /// <summary>Applies the given per-image views; the random draw is left to the caller (tests force transforms here).</summary>
    internal Tensor Apply(Tensor images, IReadOnlyList<ViewParameters> views)
    {
        CheckImages(images);
        if (views.Count != images.shape[0])
            throw new ArgumentException($"{views.Count} view parameters for {images.shape[0]} images.", nameof(views));
        using var scope = NewDisposeScope();
        var result = ApplyGeometry(images, views);
        result = ColorTransforms.Apply(result, views);
        if (ReferenceEquals(result, images)) result = images.clone();
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Resamples each image at its view's matrix. Views that are exact flips/quarter turns are sampled with nearest
    /// neighbour (pixel-exact), the rest bilinearly; views that do not move anything are copied as they are.
    /// </summary>
    private Tensor ApplyGeometry(Tensor images, IReadOnlyList<ViewParameters> views)
    {
        var (height, width) = ((int)images.shape[2], (int)images.shape[3]);
        var matrices = views.Select(v => GeometricWarp.Matrix(v, height, width)).ToArray();
        var wholePixel = Enumerable.Range(0, views.Count)
            .Where(i => !GeometricWarp.IsIdentity(matrices[i]) && GeometricWarp.MovesWholePixels(matrices[i])).ToArray();
        var interpolated = Enumerable.Range(0, views.Count)
            .Where(i => !GeometricWarp.MovesWholePixels(matrices[i])).ToArray();
        if (wholePixel.Length == 0 && interpolated.Length == 0) return images;

        var fill = FillOn(images.device);
        Tensor MoveWholePixels(Tensor subset, double[] subsetMatrices) => GeometricWarp.MoveWholePixels(subset, subsetMatrices);
        var reachesOutside = interpolated.Any(i => GeometricWarp.ReachesOutside(matrices[i], height, width));
        Tensor Interpolate(Tensor subset, double[] subsetMatrices) =>
            GeometricWarp.Interpolate(subset, subsetMatrices, fill, reachesOutside);
        if (interpolated.Length == views.Count)
            return Interpolate(images, matrices.SelectMany(m => m).ToArray());
        if (wholePixel.Length == views.Count)
            return MoveWholePixels(images, matrices.SelectMany(m => m).ToArray());

        var result = images.clone();
        WarpSubset(result, images, wholePixel, matrices, MoveWholePixels);
        WarpSubset(result, images, interpolated, matrices, Interpolate);
        return result;
    }

    /// <summary>Warps the images of <paramref name="subset"/> and writes them into their rows of <paramref name="result"/>.</summary>
    private static void WarpSubset(Tensor result, Tensor images, int[] subset, double[][] matrices, Func<Tensor, double[], Tensor> warp)
    {
        if (subset.Length == 0) return;
        var index = tensor(subset.Select(i => (long)i).ToArray(), dtype: int64, device: images.device);
        var warped = warp(images.index_select(0, index), subset.SelectMany(i => matrices[i]).ToArray());
        result.index_copy_(0, index, warped);
    }

    /// <summary>The fill colour as a 1×C×1×1 tensor, made once per device.</summary>
    private Tensor FillOn(Device device)
    {
        var key = device.ToString();
        if (!_fillByDevice.TryGetValue(key, out var fill))
        {
            fill = tensor(_borderColor, dtype: float32, device: device).view(1, -1, 1, 1).DetachFromDisposeScope();
            _fillByDevice[key] = fill;
        }
        return fill;
    }

    private void CheckImages(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4)
            throw new ArgumentException($"Augment expects N×C×H×W images, got shape [{string.Join(", ", images.shape)}].", nameof(images));
        if (images.dtype != float32)
            throw new ArgumentException($"Augment expects float32 images in [0, 1], got {images.dtype}.", nameof(images));
        if (images.shape[1] != _borderColor.Length)
            throw new ArgumentException($"Images have {images.shape[1]} channels but the border colour has {_borderColor.Length}.", nameof(images));
    }

    /// <summary>Releases the cached fill tensors.</summary>
    public void Dispose()
    {
        foreach (var fill in _fillByDevice.Values) fill.Dispose();
        _fillByDevice.Clear();
    }
}
