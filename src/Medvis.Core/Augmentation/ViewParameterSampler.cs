using TorchSharp;

namespace Medvis.Core.Augmentation;

/// <summary>
/// Draws <see cref="ViewParameters"/> for a batch from a CPU <see cref="torch.Generator"/>, following the
/// probabilities and ranges of the reference pipelines (spec §5): rot90 p = 0.5, angle U[−max, max],
/// RandomResizedCrop(scale (min, 1) with min 0.2 by default, ratio (3/4, 4/3)), flips p = 0.5, ColorJitter(0.4, 0.4, 0.4, 0.1) p = 0.8,
/// greyscale p = 0.2.
/// </summary>
/// <remarks>
/// All uniforms of a batch come from one <c>torch.rand</c> call with a fixed layout per sample, so a seed gives the
/// same views on every device, and switching one transform off does not shift the draws of the others.
/// </remarks>
internal sealed class ViewParameterSampler(AugmentationOptions options, torch.Generator generator)
{
    private const double MaxCropScale = 1.0;
    private const double MinCropRatio = 3.0 / 4.0;
    private const double MaxCropRatio = 4.0 / 3.0;
    private const int CropAttempts = 10;
    private const double Rot90Probability = 0.5;
    private const double FlipProbability = 0.5;
    private const double JitterProbability = 0.8;
    private const double GrayscaleProbability = 0.2;
    private const double BlendStrength = 0.4;
    private const double MaxHueShift = 0.1;

    // Offsets into one sample's row of uniforms.
    private const int Rot90Draw = 0;
    private const int AngleDraw = 1;
    private const int CropDraws = 2; // 4 per attempt: area, log-ratio, top, left
    private const int HorizontalFlipDraw = CropDraws + 4 * CropAttempts;
    private const int VerticalFlipDraw = HorizontalFlipDraw + 1;
    private const int JitterApplyDraw = VerticalFlipDraw + 1;
    private const int JitterFactorDraws = JitterApplyDraw + 1; // brightness, contrast, saturation, hue
    private const int JitterOrderDraws = JitterFactorDraws + 4; // one sort key per operation
    private const int GrayscaleDraw = JitterOrderDraws + 4;
    private const int DrawsPerSample = GrayscaleDraw + 1;

    /// <summary>Parameters for <paramref name="count"/> views of images of the given size.</summary>
    public ViewParameters[] Sample(int count, int height, int width)
    {
        if (count == 0) return [];
        var uniforms = DrawUniforms(count);
        var views = new ViewParameters[count];
        for (var i = 0; i < count; i++)
            views[i] = SampleOne(uniforms.AsSpan(i * DrawsPerSample, DrawsPerSample), height, width);
        return views;
    }

    private double[] DrawUniforms(int count)
    {
        using var draws = torch.rand(new long[] { count, DrawsPerSample }, dtype: torch.float64, generator: generator);
        return draws.data<double>().ToArray();
    }

    private ViewParameters SampleOne(ReadOnlySpan<double> u, int height, int width) => new(
        QuarterTurns: options.Rot90AndVerticalFlip && u[Rot90Draw] < Rot90Probability ? 1 : 0,
        AngleDegrees: options.ArbitraryRotation ? (2 * u[AngleDraw] - 1) * options.MaxRotationDegrees : 0,
        Crop: options.Crop ? SampleCrop(u.Slice(CropDraws, 4 * CropAttempts), height, width, options.MinCropScale) : CropBox.Full,
        HorizontalFlip: options.HorizontalFlip && u[HorizontalFlipDraw] < FlipProbability,
        VerticalFlip: options.Rot90AndVerticalFlip && u[VerticalFlipDraw] < FlipProbability,
        Jitter: options.ColorJitter && u[JitterApplyDraw] < JitterProbability
            ? SampleJitter(u.Slice(JitterFactorDraws, 4), u.Slice(JitterOrderDraws, 4))
            : null,
        Grayscale: options.Grayscale && u[GrayscaleDraw] < GrayscaleProbability);

    /// <summary>
    /// torchvision's <c>RandomResizedCrop.get_params</c>: up to ten tries at a whole-pixel rectangle of random area
    /// and log-uniform aspect ratio that fits, else a centre crop clamped to the ratio range. The only change is
    /// that all ten tries' uniforms are always drawn, to keep the draw layout fixed.
    /// </summary>
    internal static CropBox SampleCrop(ReadOnlySpan<double> u, int height, int width, double minCropScale = 0.2)
    {
        double area = (double)height * width;
        for (var attempt = 0; attempt < CropAttempts; attempt++)
        {
            var d = u.Slice(4 * attempt, 4);
            var targetArea = area * (minCropScale + (MaxCropScale - minCropScale) * d[0]);
            var logRatio = Math.Log(MinCropRatio) + (Math.Log(MaxCropRatio) - Math.Log(MinCropRatio)) * d[1];
            var ratio = Math.Exp(logRatio);
            var w = (int)Math.Round(Math.Sqrt(targetArea * ratio), MidpointRounding.ToEven); // Python's round
            var h = (int)Math.Round(Math.Sqrt(targetArea / ratio), MidpointRounding.ToEven);
            if (w <= 0 || w > width || h <= 0 || h > height) continue;
            var top = Math.Min((int)(d[2] * (height - h + 1)), height - h);
            var left = Math.Min((int)(d[3] * (width - w + 1)), width - w);
            return PixelBox(left, top, w, h, height, width);
        }
        return CentreCropFallback(height, width);
    }

    private static CropBox CentreCropFallback(int height, int width)
    {
        var imageRatio = (double)width / height;
        var (w, h) = imageRatio < MinCropRatio ? (width, (int)Math.Round(width / MinCropRatio, MidpointRounding.ToEven))
            : imageRatio > MaxCropRatio ? ((int)Math.Round(height * MaxCropRatio, MidpointRounding.ToEven), height)
            : (width, height);
        return PixelBox((width - w) / 2, (height - h) / 2, w, h, height, width);
    }

    private static CropBox PixelBox(int left, int top, int w, int h, int height, int width) =>
        new((double)left / width, (double)top / height, (double)w / width, (double)h / height);

    /// <summary>
    /// Factors as torchvision's <c>ColorJitter(0.4, 0.4, 0.4, 0.1)</c> draws them (U[0.6, 1.4] and U[−0.1, 0.1]);
    /// the order is a uniformly random permutation per view, as <c>torch.randperm(4)</c> gives per image.
    /// </summary>
    private static JitterParameters SampleJitter(ReadOnlySpan<double> factors, ReadOnlySpan<double> orderKeys)
    {
        float Blend(double u) => (float)(1 - BlendStrength + 2 * BlendStrength * u);
        var order = new[] { JitterOperation.Brightness, JitterOperation.Contrast, JitterOperation.Saturation, JitterOperation.Hue };
        var keys = orderKeys.ToArray();
        Array.Sort(keys, order);
        return new JitterParameters(
            Brightness: Blend(factors[0]),
            Contrast: Blend(factors[1]),
            Saturation: Blend(factors[2]),
            Hue: (float)((2 * factors[3] - 1) * MaxHueShift),
            Order: order);
    }
}
