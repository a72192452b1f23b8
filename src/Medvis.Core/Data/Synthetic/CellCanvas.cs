namespace Medvis.Core.Data.Synthetic;

/// <summary>An RGB colour with float channels in 0..255.</summary>
internal readonly record struct Rgb(float R, float G, float B)
{
    public Rgb Lerp(Rgb other, float t) => new(R + (other.R - R) * t, G + (other.G - G) * t, B + (other.B - B) * t);
}

/// <summary>A signed distance (negative inside) in world units, with a bounding circle that limits the pixels visited.</summary>
internal readonly record struct Shape(Func<float, float, float> Distance, float CentreX, float CentreY, float Radius);

/// <summary>
/// A rigid placement of a cell: world point → cell-local point. World coordinates span [−1, 1] across the image
/// whatever its pixel size, so a seed renders the same scene at 28 and 64 px.
/// </summary>
internal readonly record struct CellFrame(float X, float Y, float Cos, float Sin, bool Mirrored)
{
    public (float U, float V) ToLocal(float x, float y)
    {
        var dx = x - X;
        var dy = y - Y;
        var u = Cos * dx + Sin * dy;
        var v = -Sin * dx + Cos * dy;
        return (u, Mirrored ? -v : v);
    }

    public (float X, float Y) ToWorld(float u, float v)
    {
        if (Mirrored) v = -v;
        return (X + Cos * u - Sin * v, Y + Sin * u + Cos * v);
    }

    /// <summary>A shape given in local coordinates, placed in the world (distances are preserved by a rigid map).</summary>
    public Shape Place(Func<float, float, float> localDistance, float localCentreU, float localCentreV, float radius)
    {
        var frame = this;
        var (cx, cy) = ToWorld(localCentreU, localCentreV);
        return new Shape((x, y) =>
        {
            var (u, v) = frame.ToLocal(x, y);
            return localDistance(u, v);
        }, cx, cy, radius);
    }
}

/// <summary>Signed distance functions of the primitives cells are built from.</summary>
internal static class Sdf
{
    public static float Circle(float u, float v, float cu, float cv, float r) => MathF.Sqrt((u - cu) * (u - cu) + (v - cv) * (v - cv)) - r;

    /// <summary>Approximate ellipse distance (exact on the axes; good enough for anti-aliasing).</summary>
    public static float Ellipse(float u, float v, float cu, float cv, float a, float b)
    {
        var du = (u - cu) / a;
        var dv = (v - cv) / b;
        return (MathF.Sqrt(du * du + dv * dv) - 1f) * MathF.Min(a, b);
    }

    /// <summary>Distance to the segment (a, b) minus r: a rounded bar joining two lobes.</summary>
    public static float Capsule(float u, float v, float au, float av, float bu, float bv, float r)
    {
        float pu = u - au, pv = v - av, du = bu - au, dv = bv - av;
        var h = Math.Clamp((pu * du + pv * dv) / (du * du + dv * dv), 0f, 1f);
        var qu = pu - du * h;
        var qv = pv - dv * h;
        return MathF.Sqrt(qu * qu + qv * qv) - r;
    }
}

/// <summary>A float RGB image painted with anti-aliased shapes, then quantised to C×H×W bytes.</summary>
internal sealed class CellCanvas
{
    private readonly int _size;
    private readonly float _pixel;
    private readonly float[] _r, _g, _b;

    public CellCanvas(int size)
    {
        _size = size;
        _pixel = 2f / size;
        _r = new float[size * size];
        _g = new float[size * size];
        _b = new float[size * size];
    }

    /// <summary>World coordinate of a pixel centre.</summary>
    private float World(int index) => (index + 0.5f) * _pixel - 1f;

    public void Fill(Rgb colour)
    {
        Array.Fill(_r, colour.R);
        Array.Fill(_g, colour.G);
        Array.Fill(_b, colour.B);
    }

    /// <summary>Blends <paramref name="colour"/> over the shape with anti-aliased edges (coverage from the distance).</summary>
    public void Paint(Shape shape, Rgb colour, float opacity = 1f)
    {
        var reach = shape.Radius + _pixel;
        var x0 = Math.Max(0, (int)MathF.Floor((shape.CentreX - reach + 1f) / _pixel));
        var x1 = Math.Min(_size - 1, (int)MathF.Ceiling((shape.CentreX + reach + 1f) / _pixel));
        var y0 = Math.Max(0, (int)MathF.Floor((shape.CentreY - reach + 1f) / _pixel));
        var y1 = Math.Min(_size - 1, (int)MathF.Ceiling((shape.CentreY + reach + 1f) / _pixel));
        for (var row = y0; row <= y1; row++)
        {
            var y = World(row);
            for (var col = x0; col <= x1; col++)
            {
                var coverage = Math.Clamp(0.5f - shape.Distance(World(col), y) / _pixel, 0f, 1f) * opacity;
                if (coverage <= 0f) continue;
                var i = row * _size + col;
                _r[i] += (colour.R - _r[i]) * coverage;
                _g[i] += (colour.G - _g[i]) * coverage;
                _b[i] += (colour.B - _b[i]) * coverage;
            }
        }
    }

    /// <summary>Adds Gaussian sensor noise and a faint illumination gradient, then rounds into planes.</summary>
    public void WriteTo(Span<byte> planes, Random random, float noiseSigma, float gradientX, float gradientY)
    {
        var plane = _size * _size;
        for (var p = 0; p < plane; p++)
        {
            var light = 1f + gradientX * World(p % _size) + gradientY * World(p / _size);
            var (n1, n2) = GaussianPair(random);
            var n3 = ApproximateGaussian(random);
            planes[p] = Quantise(_r[p] * light + noiseSigma * n1);
            planes[plane + p] = Quantise(_g[p] * light + noiseSigma * n2);
            planes[2 * plane + p] = Quantise(_b[p] * light + noiseSigma * n3);
        }
    }

    private static byte Quantise(float value) => (byte)Math.Clamp((int)MathF.Round(value), 0, 255);

    /// <summary>Standard normal sample (Box–Muller, one of the pair).</summary>
    internal static float Gaussian(Random random) => GaussianPair(random).First;

    /// <summary>Two independent standard normal samples (Box–Muller).</summary>
    private static (float First, float Second) GaussianPair(Random random)
    {
        var radius = MathF.Sqrt(-2f * MathF.Log(1f - (float)random.NextDouble()));
        var (sin, cos) = MathF.SinCos(2f * MathF.PI * (float)random.NextDouble());
        return (radius * cos, radius * sin);
    }

    /// <summary>Irwin–Hall with four uniforms, rescaled to unit variance: near-normal and cheap, fine for sensor noise.</summary>
    private static float ApproximateGaussian(Random random) =>
        ((float)(random.NextDouble() + random.NextDouble() + random.NextDouble() + random.NextDouble()) - 2f) * 1.7320508f;
}
