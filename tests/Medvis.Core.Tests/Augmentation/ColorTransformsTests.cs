using Medvis.Core.Augmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Tests.Augmentation;

public class ColorTransformsTests
{
    private static Tensor RandomImages(long n, long c, long size = 6)
    {
        using var generator = new Generator(4711);
        return rand(new[] { n, c, size, size }, generator: generator);
    }

    private static ViewParameters Jittered(float brightness = 1, float contrast = 1, float saturation = 1, float hue = 0,
        params JitterOperation[] order) =>
        ViewParameters.Identity with
        {
            Jitter = new JitterParameters(brightness, contrast, saturation, hue,
                order.Length == 4 ? order : JitterParameters.DefaultOrder),
        };

    private static float MaxAbsDifference(Tensor a, Tensor b)
    {
        using var diff = (a - b).abs().max();
        return diff.item<float>();
    }

    private static Tensor Luma(Tensor rgb) =>
        (rgb[.., 0..1] * 0.299 + rgb[.., 1..2] * 0.587 + rgb[.., 2..3] * 0.114);

    [Fact]
    public void BrightnessScalesAndClamps()
    {
        using var images = RandomImages(2, 3);
        using var darker = ColorTransforms.Apply(images, [Jittered(brightness: 0.6f), Jittered(brightness: 1.4f)]);
        Assert.True(MaxAbsDifference(darker[0], images[0] * 0.6) < 1e-6f);
        Assert.True(MaxAbsDifference(darker[1], (images[1] * 1.4).clamp(0, 1)) < 1e-6f);
    }

    [Fact]
    public void ContrastBlendsWithTheMeanGreyOfEachImage()
    {
        using var images = RandomImages(2, 3);
        using var result = ColorTransforms.Apply(images, [Jittered(contrast: 0.6f), Jittered()]);
        using var meanGrey = Luma(images[0..1]).mean();
        using var expected = images[0] * 0.6 + meanGrey * 0.4;
        Assert.True(MaxAbsDifference(result[0], expected) < 1e-6f);
        Assert.Equal(0f, MaxAbsDifference(result[1], images[1]));
    }

    [Fact]
    public void SaturationBlendsWithTheGreyImage()
    {
        using var images = RandomImages(1, 3);
        using var result = ColorTransforms.Apply(images, [Jittered(saturation: 0.7f)]);
        using var expected = images * 0.7 + Luma(images) * 0.3;
        Assert.True(MaxAbsDifference(result, expected.clamp(0, 1)) < 1e-6f);
    }

    [Theory]
    [InlineData(1f / 3, 0f, 1f, 0f)]   // red → green
    [InlineData(2f / 3, 0f, 0f, 1f)]   // red → blue
    [InlineData(-1f / 6, 1f, 0f, 1f)]  // red → magenta
    [InlineData(0.5f, 0f, 1f, 1f)]     // red → cyan
    public void HueShiftsTurnTheColourWheel(float shift, float r, float g, float b)
    {
        using var red = tensor(new float[] { 0.8f, 0, 0 }).view(1, 3, 1, 1);
        using var shifts = tensor(new[] { shift }).view(1, 1, 1, 1);
        using var shifted = ColorTransforms.ShiftHue(red, shifts);
        Assert.Equal(new[] { 0.8f * r, 0.8f * g, 0.8f * b }, shifted.data<float>().ToArray(), new ToleranceComparer(1e-5f));
    }

    [Fact]
    public void HueShiftsOfRandomColoursMatchAScalarHsvRoundTrip()
    {
        using var images = RandomImages(8, 3, 5);
        var hueShifts = new[] { -0.1f, -0.05f, 0.01f, 0.1f, 0.3f, -0.45f, 0.5f, 0.07f };
        using var shifts = tensor(hueShifts).view(8, 1, 1, 1);
        using var shifted = ColorTransforms.ShiftHue(images, shifts);
        var input = images.data<float>().ToArray();
        var output = shifted.data<float>().ToArray();
        const int plane = 25;
        for (var n = 0; n < 8; n++)
            for (var p = 0; p < plane; p++)
            {
                int At(int c) => (n * 3 + c) * plane + p;
                var expected = ReferenceHueShift(input[At(0)], input[At(1)], input[At(2)], hueShifts[n]);
                for (var c = 0; c < 3; c++)
                    Assert.Equal(expected[c], output[At(c)], 4);
            }
    }

    [Fact]
    public void ViewsWithHueInDifferentSlotsGetTheSameResultAsAlone()
    {
        using var images = RandomImages(5, 3);
        JitterOperation[] Rotated(int start) => Enumerable.Range(0, 4).Select(k => (JitterOperation)((start + k) % 4)).ToArray();
        var views = new[]
        {
            Jittered(1.3f, 0.7f, 1.2f, 0.08f, Rotated(1)),
            ViewParameters.Identity with { Grayscale = true },
            Jittered(0.8f, 1.1f, 0.7f, -0.06f, Rotated(3)),
            Jittered(1.1f, 1.3f, 0.9f, 0.02f, Rotated(0)),
            Jittered(0.9f, 0.8f, 1.3f, -0.09f, Rotated(2)) with { Grayscale = true },
        };
        using var together = ColorTransforms.Apply(images, views);
        for (var i = 0; i < views.Length; i++)
        {
            using var alone = ColorTransforms.Apply(images[i..(i + 1)], [views[i]]);
            Assert.True(MaxAbsDifference(together[i..(i + 1)], alone) < 1e-6f, $"view {i}");
        }
    }

    /// <summary>Python's colorsys RGB → HSV, shift, HSV → RGB for one pixel.</summary>
    private static float[] ReferenceHueShift(double r, double g, double b, double shift)
    {
        var max = Math.Max(r, Math.Max(g, b));
        var min = Math.Min(r, Math.Min(g, b));
        if (max == min) return [(float)r, (float)g, (float)b];
        var s = (max - min) / max;
        var (rc, gc, bc) = ((max - r) / (max - min), (max - g) / (max - min), (max - b) / (max - min));
        var h = r == max ? bc - gc : g == max ? 2.0 + rc - bc : 4.0 + gc - rc;
        h = ((h / 6.0 + shift) % 1.0 + 1.0) % 1.0;
        var i = (int)(h * 6.0);
        var f = h * 6.0 - i;
        var (p, q, t) = (max * (1 - s), max * (1 - s * f), max * (1 - s * (1 - f)));
        var v = max;
        var rgb = (i % 6) switch
        {
            0 => (v, t, p), 1 => (q, v, p), 2 => (p, v, t), 3 => (p, q, v), 4 => (t, p, v), _ => (v, p, q),
        };
        return [(float)rgb.Item1, (float)rgb.Item2, (float)rgb.Item3];
    }

    [Fact]
    public void AZeroHueShiftKeepsRandomColoursAndGreys()
    {
        using var images = cat(new[] { RandomImages(3, 3), full(1, 3, 6, 6, 0.4f) }, 0);
        using var shifts = zeros(4, 1, 1, 1);
        using var roundTrip = ColorTransforms.ShiftHue(images, shifts);
        Assert.True(MaxAbsDifference(roundTrip, images) < 1e-5f);
    }

    [Fact]
    public void EachViewAppliesItsOperationsInItsOwnOrder()
    {
        using var images = RandomImages(2, 3);
        var desaturateThenDarken = Jittered(brightness: 0.6f, saturation: 0.6f, order:
            [JitterOperation.Saturation, JitterOperation.Brightness, JitterOperation.Hue, JitterOperation.Contrast]);
        var brightenThenContrast = Jittered(brightness: 1.4f, contrast: 0.6f, order:
            [JitterOperation.Brightness, JitterOperation.Hue, JitterOperation.Saturation, JitterOperation.Contrast]);
        using var result = ColorTransforms.Apply(images, [desaturateThenDarken, brightenThenContrast]);

        using var first = (images[0..1] * 0.6 + Luma(images[0..1]) * 0.4) * 0.6;
        using var brightened = (images[1..2] * 1.4).clamp(0, 1);
        using var second = brightened * 0.6 + Luma(brightened).mean() * 0.4;
        Assert.True(MaxAbsDifference(result[0..1], first) < 1e-6f);
        Assert.True(MaxAbsDifference(result[1..2], second) < 1e-6f);
    }

    [Fact]
    public void GreyscaleKeepsThreeEqualChannelsOfLuma()
    {
        using var images = RandomImages(2, 3);
        using var result = ColorTransforms.Apply(images, [ViewParameters.Identity with { Grayscale = true }, ViewParameters.Identity]);
        using var luma = Luma(images[0..1]);
        for (var c = 0; c < 3; c++)
            Assert.True(MaxAbsDifference(result[0..1, c..(c + 1)], luma) < 1e-6f);
        Assert.Equal(0f, MaxAbsDifference(result[1], images[1]));
    }

    [Fact]
    public void GreyImagesGetBrightnessAndContrastButNoSaturationHueOrGreyscale()
    {
        using var images = RandomImages(3, 1);
        ViewParameters[] views =
        [
            Jittered(saturation: 0.6f, hue: 0.1f) with { Grayscale = true },
            Jittered(brightness: 0.6f),
            Jittered(contrast: 0.6f),
        ];
        using var result = ColorTransforms.Apply(images, views);
        Assert.Equal(0f, MaxAbsDifference(result[0], images[0]));
        Assert.True(MaxAbsDifference(result[1], images[1] * 0.6) < 1e-6f);
        Assert.True(MaxAbsDifference(result[2], images[2] * 0.6 + images[2].mean() * 0.4) < 1e-6f);
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}
