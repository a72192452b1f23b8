using Medvis.Core.Comparison;
using Medvis.Core.Tests.Evaluation;

namespace Medvis.Core.Tests.Comparison;

/// <summary>The Procrustes alignment: exact recovery of known transforms, and agreement with SciPy on committed fixtures.</summary>
public sealed class ProcrustesAlignmentTests
{
    private static (float[] X, float[] Y) RandomMap(int n, int seed)
    {
        var random = new Random(seed);
        return (Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 20 - 10)).ToArray(),
                Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 20 - 10)).ToArray());
    }

    /// <summary>Rotates by <paramref name="degrees"/>, mirrors x when asked, scales and shifts.</summary>
    private static (float[] X, float[] Y) Transformed(float[] x, float[] y, double degrees, bool mirror, double scale, double dx, double dy)
    {
        var (c, s) = (Math.Cos(degrees * Math.PI / 180), Math.Sin(degrees * Math.PI / 180));
        var outX = new float[x.Length];
        var outY = new float[y.Length];
        for (var i = 0; i < x.Length; i++)
        {
            double px = mirror ? -x[i] : x[i], py = y[i];
            outX[i] = (float)(scale * (c * px - s * py) + dx);
            outY[i] = (float)(scale * (s * px + c * py) + dy);
        }
        return (outX, outY);
    }

    [Theory]
    [InlineData(0, false, 1.0)]
    [InlineData(37, false, 0.2)]
    [InlineData(180, false, 5.0)]
    [InlineData(-101, true, 3.5)]
    [InlineData(90, true, 0.01)]
    [InlineData(0, true, 1.0)]
    public void ARotatedMirroredScaledShiftedCopyAlignsBackExactly(double degrees, bool mirror, double scale)
    {
        var (x, y) = RandomMap(200, 1);
        // The shift scales too, so float rounding of the copy stays below the 1e-5 asked of the alignment.
        var (mx, my) = Transformed(x, y, degrees, mirror, scale, 17 * scale, -4 * scale);

        var fit = ProcrustesAlignment.Fit(x, y, mx, my);

        for (var i = 0; i < x.Length; i++)
        {
            var (ax, ay) = fit.Transform.Apply(mx[i], my[i]);
            Assert.Equal(x[i], ax, 1e-5);
            Assert.Equal(y[i], ay, 1e-5);
        }
        Assert.Equal(mirror, fit.Transform.Reflects);
        Assert.Equal(1 / scale, fit.Transform.Scale, 1e-5 / scale);
        Assert.True(fit.Disparity < 1e-10, $"disparity {fit.Disparity}");
    }

    [Fact]
    public void TheFitIsTheSameWhateverTheOrderOfTheMatchedPoints()
    {
        var (x, y) = RandomMap(120, 3);
        var (mx, my) = RandomMap(120, 4);
        var order = Enumerable.Range(0, 120).OrderBy(i => (i * 7919) % 120).ToArray();

        var fit = ProcrustesAlignment.Fit(x, y, mx, my);
        var shuffled = ProcrustesAlignment.Fit(order.Select(i => x[i]).ToArray(), order.Select(i => y[i]).ToArray(),
            order.Select(i => mx[i]).ToArray(), order.Select(i => my[i]).ToArray());

        Assert.Equal(fit.Transform.R11, shuffled.Transform.R11, 1e-9);
        Assert.Equal(fit.Transform.R12, shuffled.Transform.R12, 1e-9);
        Assert.Equal(fit.Transform.Scale, shuffled.Transform.Scale, 1e-9);
        Assert.Equal(fit.Transform.TranslateX, shuffled.Transform.TranslateX, 1e-6);
        Assert.Equal(fit.Disparity, shuffled.Disparity, 1e-9);
    }

    [Theory]
    [InlineData(1.0, 2.0, 3.0, 4.0)]
    [InlineData(0.0, -1.0, 1.0, 0.0)]
    [InlineData(2.0, 0.0, 0.0, -3.0)]
    [InlineData(1.0, 1.0, 1.0, 1.0)]
    [InlineData(-5.0, 0.5, 2.0, 0.1)]
    public void TheTwoByTwoSvdRebuildsItsMatrixWithOrderedNonNegativeSingularValues(double m11, double m12, double m21, double m22)
    {
        var svd = TwoByTwoSvd.Of(m11, m12, m21, m22);
        Assert.True(svd.Sigma1 >= svd.Sigma2 && svd.Sigma2 >= 0);
        // U Σ Vᵀ with U = Rot(φ), Vᵀ = diag(1, ±1) Rot(θ).
        var (cp, sp, ct, st) = (Math.Cos(svd.Phi), Math.Sin(svd.Phi), Math.Cos(svd.Theta), Math.Sin(svd.Theta));
        var s2 = svd.Mirrored ? -svd.Sigma2 : svd.Sigma2;
        double[,] u = { { cp, -sp }, { sp, cp } }, v = { { ct, -st }, { st, ct } };
        for (var i = 0; i < 2; i++)
            for (var j = 0; j < 2; j++)
            {
                var rebuilt = u[i, 0] * svd.Sigma1 * v[0, j] + u[i, 1] * s2 * v[1, j];
                Assert.Equal(new[,] { { m11, m12 }, { m21, m22 } }[i, j], rebuilt, 1e-12);
            }
    }

    [Fact]
    public void MapsWithAllPointsAtOneSpotOrFewerThanTwoPointsAreRefused()
    {
        float[] x = [1, 2, 3], y = [0, 1, 0];
        Assert.Throws<ArgumentException>(() => ProcrustesAlignment.Fit(x, y, [5, 5, 5], [2, 2, 2]));
        Assert.Throws<ArgumentException>(() => ProcrustesAlignment.Fit([1], [1], [2], [2]));
        Assert.Throws<ArgumentException>(() => ProcrustesAlignment.Fit(x, y, [1, 2], [1, 2]));
    }

    public static TheoryData<string> SciPyCases() => ScikitLearnReference.Cases("procrustes");

    [Theory]
    [MemberData(nameof(SciPyCases))]
    public void MatchesScipy(string name)
    {
        using var document = ScikitLearnReference.Read(Path.Combine("procrustes", name + ".json"));
        var root = document.RootElement;
        var (rx, ry) = Columns(root.GetProperty("reference"));
        var (mx, my) = Columns(root.GetProperty("moving"));
        var rotation = root.GetProperty("rotation").EnumerateArray().Select(row => row.Doubles()).ToArray();

        var fit = ProcrustesAlignment.Fit(rx, ry, mx, my);

        Assert.Equal(rotation[0][0], fit.Transform.R11, 1e-9);
        Assert.Equal(rotation[0][1], fit.Transform.R12, 1e-9);
        Assert.Equal(rotation[1][0], fit.Transform.R21, 1e-9);
        Assert.Equal(rotation[1][1], fit.Transform.R22, 1e-9);
        Assert.Equal(root.GetProperty("scale").GetDouble(), fit.Transform.Scale, 1e-9);
        Assert.Equal(root.GetProperty("reflects").GetBoolean(), fit.Transform.Reflects);
        Assert.Equal(root.GetProperty("disparity").GetDouble(), fit.Disparity, 1e-9);
        var aligned = root.GetProperty("aligned").EnumerateArray().Select(row => row.Doubles()).ToArray();
        for (var i = 0; i < mx.Length; i++)
        {
            var (x, y) = fit.Transform.Apply(mx[i], my[i]);
            Assert.Equal(aligned[i][0], x, 1e-9);
            Assert.Equal(aligned[i][1], y, 1e-9);
        }
    }

    private static (float[] X, float[] Y) Columns(System.Text.Json.JsonElement rows)
    {
        var points = rows.EnumerateArray().Select(row => row.Doubles()).ToArray();
        return (points.Select(p => (float)p[0]).ToArray(), points.Select(p => (float)p[1]).ToArray());
    }
}
