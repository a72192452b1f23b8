namespace Medvis.Core.Comparison;

/// <summary>
/// A map-to-map transform of rotation or reflection, uniform scale and translation, in row-vector form:
/// a point p = [x y] goes to <c>Scale · p · R + [TranslateX TranslateY]</c> with R = [[R11 R12] [R21 R22]] orthogonal.
/// </summary>
public sealed record SimilarityTransform(double R11, double R12, double R21, double R22, double Scale, double TranslateX, double TranslateY)
{
    /// <summary>The transform that changes nothing.</summary>
    public static SimilarityTransform Identity { get; } = new(1, 0, 0, 1, 1, 0, 0);

    /// <summary>True when the orthogonal part mirrors the map (determinant −1).</summary>
    public bool Reflects => R11 * R22 - R12 * R21 < 0;

    /// <summary>Where the point (<paramref name="x"/>, <paramref name="y"/>) goes.</summary>
    public (double X, double Y) Apply(double x, double y) =>
        (Scale * (x * R11 + y * R21) + TranslateX, Scale * (x * R12 + y * R22) + TranslateY);

    /// <summary>Every point of the columns, transformed, as new float columns.</summary>
    public (float[] X, float[] Y) Apply(IReadOnlyList<float> x, IReadOnlyList<float> y)
    {
        var outX = new float[x.Count];
        var outY = new float[y.Count];
        for (var i = 0; i < x.Count; i++)
        {
            var (tx, ty) = Apply(x[i], y[i]);
            outX[i] = (float)tx;
            outY[i] = (float)ty;
        }
        return (outX, outY);
    }
}
