using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Augmentation;

/// <summary>
/// Colour jitter and random greyscale as batched tensor arithmetic, following torchvision's tensor kernels
/// (<c>adjust_brightness/contrast/saturation/hue</c>, <c>rgb_to_grayscale</c>), each result clamped to [0, 1].
/// </summary>
/// <remarks>
/// Every view applies the four jitter operations in its own random order. That is done in four slots: in each
/// slot a view runs the operation its order names there. Brightness, contrast and saturation are all blends
/// <c>f·x + (1 − f)·other</c>, so one blend per slot serves all views, with f = 1 (exactly unchanged) for views
/// that do something else in that slot. The costlier hue shift runs only on the views that need it in that slot.
/// Grey (C = 1) images get brightness and contrast only: saturation and hue do nothing on them, as in torchvision.
/// </remarks>
internal static class ColorTransforms
{
    // ITU-R 601 luma weights, as PIL's convert("L"); torchvision's tensor kernel uses 0.2989.
    private const double RedWeight = 0.299, GreenWeight = 0.587, BlueWeight = 0.114;

    /// <summary>Applies each view's jitter (if any) and then its greyscale (if any) to N×C×H×W images in [0, 1].</summary>
    /// <returns>A new tensor, or <paramref name="images"/> itself when no view changes colour.</returns>
    public static Tensor Apply(Tensor images, IReadOnlyList<ViewParameters> views)
    {
        var isColor = images.shape[1] == 3;
        var jitters = views.Any(v => v.Jitter is not null);
        var greys = isColor && views.Any(v => v.Grayscale);
        if (!jitters && !greys) return images;

        // Work on a copy with the views grouped by the slot of their hue shift, so that each slot's hue shift runs on
        // one contiguous slice (a view) instead of a gather and scatter; every step after this works in place.
        var grouped = GroupByHueSlot(views);
        var result = grouped.IsIdentity ? images.clone() : images.index_select(0, grouped.Index(images.device));
        var groupedViews = grouped.Order.Select(i => views[i]).ToArray();
        if (jitters)
            for (var slot = 0; slot < 4; slot++)
            {
                var operations = groupedViews.Select(v => v.Jitter?.Order[slot]).ToArray();
                BlendInPlace(result, groupedViews, operations);
                if (isColor) ShiftHuesInPlace(result, groupedViews, operations);
            }
        if (greys) result = ApplyGrayscale(result, groupedViews);
        return grouped.IsIdentity ? result : result.index_select(0, grouped.InverseIndex(images.device));
    }

    /// <summary>A stable order of the views by the slot in which they shift hue (views without a hue shift first).</summary>
    private static Permutation GroupByHueSlot(IReadOnlyList<ViewParameters> views)
    {
        int HueSlot(ViewParameters v) =>
            v.Jitter is { Hue: not 0 } jitter ? Array.IndexOf(jitter.Order, JitterOperation.Hue) : -1;
        return new Permutation(Enumerable.Range(0, views.Count).OrderBy(i => HueSlot(views[i])).ToArray());
    }

    /// <summary>A reordering of the batch: position j holds original view Order[j].</summary>
    private sealed record Permutation(int[] Order)
    {
        public bool IsIdentity => Order.Select((original, position) => original == position).All(same => same);

        public Tensor Index(Device device) => tensor(Order.Select(i => (long)i).ToArray(), dtype: int64, device: device);

        public Tensor InverseIndex(Device device)
        {
            var inverse = new long[Order.Length];
            for (var position = 0; position < Order.Length; position++) inverse[Order[position]] = position;
            return tensor(inverse, dtype: int64, device: device);
        }
    }

    /// <summary>One blend with the per-view factor and partner image of this slot's operation.</summary>
    private static void BlendInPlace(Tensor images, IReadOnlyList<ViewParameters> views, JitterOperation?[] operations)
    {
        var isColor = images.shape[1] == 3;
        bool Blends(JitterOperation? op) => op is JitterOperation.Brightness or JitterOperation.Contrast
            || (op is JitterOperation.Saturation && isColor);
        if (!operations.Any(Blends)) return;

        var towardPartner = new float[views.Count];
        var contrastWeights = new float[views.Count];
        var saturationWeights = new float[views.Count];
        for (var i = 0; i < views.Count; i++)
        {
            towardPartner[i] = Blends(operations[i]) ? 1 - views[i].Jitter!.BlendFactor(operations[i]!.Value) : 0f;
            contrastWeights[i] = operations[i] == JitterOperation.Contrast ? 1f : 0f;
            saturationWeights[i] = operations[i] == JitterOperation.Saturation && isColor ? 1f : 0f;
        }

        using var zero = 0.0.ToScalar();
        using var one = 1.0.ToScalar();
        // The blend partner: black for brightness, the mean grey level for contrast, the grey image for saturation.
        var partner = zeros(1, dtype: images.dtype, device: images.device);
        if (contrastWeights.Any(w => w != 0) || saturationWeights.Any(w => w != 0))
        {
            var grey = Luminance(images);
            var meanGrey = grey.mean(new long[] { 1, 2, 3 }, keepdim: true);
            partner = (grey * PerView(saturationWeights, images)).add_(meanGrey * PerView(contrastWeights, images), one);
        }
        // f·x + (1 − f)·partner = x + (1 − f)·(partner − x); lerp leaves x exactly as it is where f = 1.
        images.lerp_(partner, PerView(towardPartner, images)).clamp_(zero, one);
    }

    /// <summary>
    /// Shifts the hue of the views whose operation in this slot is hue (with a non-zero shift); after
    /// <see cref="GroupByHueSlot"/> they form one contiguous run of the batch.
    /// </summary>
    private static void ShiftHuesInPlace(Tensor images, IReadOnlyList<ViewParameters> views, JitterOperation?[] operations)
    {
        var selected = Enumerable.Range(0, views.Count)
            .Where(i => operations[i] == JitterOperation.Hue && views[i].Jitter!.Hue != 0).ToArray();
        if (selected.Length == 0) return;
        var (first, count) = (selected[0], selected.Length);
        if (selected[^1] - first + 1 != count)
            throw new InvalidOperationException("Hue shifts of one slot must be contiguous; group the views first.");
        var shifts = PerView(selected.Select(i => views[i].Jitter!.Hue).ToArray(), images);
        var run = images.narrow(0, first, count);
        run.copy_(ShiftHue(run, shifts));
    }

    /// <summary>
    /// torchvision's <c>adjust_hue</c> (RGB → HSV, hue += shift mod 1, HSV → RGB) without building HSV: a hue shift
    /// keeps each pixel's max M and chroma C = max − min, and channel n of the result is
    /// M − C·clamp(2 − |k − 2|, 0, 1) with k = (n + 6·hue) mod 6 and n = 5, 3, 1 for R, G, B (the closed form of the
    /// six-sector HSV → RGB conversion).
    /// </summary>
    /// <param name="rgb">N×3×H×W in [0, 1].</param>
    /// <param name="shifts">Hue shift per image in turns, N×1×1×1.</param>
    internal static Tensor ShiftHue(Tensor rgb, Tensor shifts)
    {
        var r = rgb[.., 0..1];
        var g = rgb[.., 1..2];
        var b = rgb[.., 2..3];
        using var zero = 0.0.ToScalar();
        using var one = 1.0.ToScalar();
        using var two = 2.0.ToScalar();
        using var four = 4.0.ToScalar();
        using var six = 6.0.ToScalar();
        using var tinyChroma = 1e-12.ToScalar();
        var max = rgb.amax(new long[] { 1 }, keepdim: true);
        var chroma = rgb.amin(new long[] { 1 }, keepdim: true).neg_().add_(max, one);

        // Six times the hue, as torchvision's _rgb2hsv picks the sector: red if it is the max, else green, else blue.
        // Grey pixels (C = 0) get hue 0 from a zero numerator; their result is M whatever the hue.
        var hue6 = where(max.eq(r), g - b,
                   where(max.eq(g), (b - r).add_(chroma, two), (r - g).add_(chroma, four)));
        hue6.div_(chroma.clamp_min(tinyChroma)).add_(shifts, six);

        var sectors = tensor(new float[] { 5, 3, 1 }, dtype: rgb.dtype, device: rgb.device).view(1, 3, 1, 1);
        var k = sectors.add(hue6, one).remainder_(six);
        var ramp = k.sub_(two).abs_().neg_().add_(two, one).clamp_(zero, one);
        return ramp.mul_(chroma).neg_().add_(max, one).clamp_(zero, one);
    }

    /// <summary>Replaces the colour of the views marked for greyscale by their luminance, in all 3 channels.</summary>
    private static Tensor ApplyGrayscale(Tensor images, IReadOnlyList<ViewParameters> views)
    {
        var mask = tensor(views.Select(v => v.Grayscale).ToArray(), device: images.device).view(-1, 1, 1, 1);
        return where(mask, Luminance(images).expand_as(images), images);
    }

    /// <summary>Luma of RGB images, N×1×H×W; grey images are their own luma.</summary>
    internal static Tensor Luminance(Tensor images)
    {
        if (images.shape[1] == 1) return images;
        using var red = RedWeight.ToScalar();
        using var green = GreenWeight.ToScalar();
        using var blue = BlueWeight.ToScalar();
        return images[.., 0..1].mul(red).add_(images[.., 1..2], green).add_(images[.., 2..3], blue);
    }

    /// <summary>One value per view as an N×1×1×1 tensor on the images' device.</summary>
    private static Tensor PerView(float[] values, Tensor like) =>
        tensor(values, dtype: like.dtype, device: like.device).view(-1, 1, 1, 1);
}
