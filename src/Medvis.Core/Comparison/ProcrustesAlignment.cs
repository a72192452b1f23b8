namespace Medvis.Core.Comparison;

/// <summary>The transform that best lays one map onto a reference, and how well it fits.</summary>
/// <param name="Transform">Takes moving-map coordinates into the reference's frame.</param>
/// <param name="Disparity">
/// Residual sum of squares after alignment with both point sets centred and scaled to unit norm, in [0, 1]:
/// 0 when the maps differ only by a similarity transform (scipy.spatial.procrustes' <c>disparity</c>).
/// </param>
public sealed record ProcrustesFit(SimilarityTransform Transform, double Disparity);

/// <summary>
/// Orthogonal Procrustes with uniform scale: the rotation or reflection, scale and translation that minimise the
/// squared distances between matched points of a moving map and a reference map. Closed form through the SVD of the
/// 2×2 cross-covariance, so it needs no linear-algebra package.
/// </summary>
public static class ProcrustesAlignment
{
    /// <summary>
    /// Fits the transform taking row i of (<paramref name="movingX"/>, <paramref name="movingY"/>) onto row i of
    /// (<paramref name="referenceX"/>, <paramref name="referenceY"/>).
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, fewer than two points, or either map has all points at one spot.</exception>
    public static ProcrustesFit Fit(IReadOnlyList<float> referenceX, IReadOnlyList<float> referenceY, IReadOnlyList<float> movingX, IReadOnlyList<float> movingY)
    {
        var n = referenceX.Count;
        if (referenceY.Count != n || movingX.Count != n || movingY.Count != n)
            throw new ArgumentException($"Procrustes needs matched points: {referenceX.Count}/{referenceY.Count} reference and {movingX.Count}/{movingY.Count} moving coordinates.");
        if (n < 2) throw new ArgumentException($"Procrustes needs at least 2 matched points, got {n}.");
        var (rx, ry) = (Mean(referenceX), Mean(referenceY));
        var (mx, my) = (Mean(movingX), Mean(movingY));
        // Cross-covariance M = Bᵀ A of the centred moving (B) and reference (A) points, and both squared norms.
        double m11 = 0, m12 = 0, m21 = 0, m22 = 0, movingNorm = 0, referenceNorm = 0;
        for (var i = 0; i < n; i++)
        {
            double bx = movingX[i] - mx, by = movingY[i] - my, ax = referenceX[i] - rx, ay = referenceY[i] - ry;
            m11 += bx * ax; m12 += bx * ay; m21 += by * ax; m22 += by * ay;
            movingNorm += bx * bx + by * by;
            referenceNorm += ax * ax + ay * ay;
        }
        if (movingNorm == 0 || referenceNorm == 0)
            throw new ArgumentException("Procrustes needs maps whose points are not all at one spot.");
        var svd = TwoByTwoSvd.Of(m11, m12, m21, m22);
        // R = U Vᵀ maximises trace(Rᵀ M); the best scale is then trace(Σ) / ‖B‖².
        var (r11, r12, r21, r22) = svd.OrthogonalFactor();
        var singularSum = svd.Sigma1 + svd.Sigma2;
        var scale = singularSum / movingNorm;
        var translateX = rx - scale * (mx * r11 + my * r21);
        var translateY = ry - scale * (mx * r12 + my * r22);
        var disparity = Math.Max(0, 1 - singularSum * singularSum / (movingNorm * referenceNorm));
        return new ProcrustesFit(new SimilarityTransform(r11, r12, r21, r22, scale, translateX, translateY), disparity);
    }

    private static double Mean(IReadOnlyList<float> values)
    {
        double sum = 0;
        foreach (var v in values) sum += v;
        return sum / values.Count;
    }
}

/// <summary>
/// The SVD M = U Σ Vᵀ of a real 2×2 matrix in closed form: U and Vᵀ are a rotation, or a rotation times a mirror,
/// and Σ = diag(<see cref="Sigma1"/>, <see cref="Sigma2"/>) with Sigma1 ≥ Sigma2 ≥ 0.
/// </summary>
internal readonly record struct TwoByTwoSvd(double Phi, double Theta, double Sigma1, double Sigma2, bool Mirrored)
{
    /// <summary>
    /// Writes M = Rot(φ) · diag(s₁, s₂) · Rot(θ) with s₂ possibly negative (the sign of det M), then moves a negative
    /// s₂'s sign into Vᵀ as a mirror so both singular values are non-negative.
    /// </summary>
    public static TwoByTwoSvd Of(double m11, double m12, double m21, double m22)
    {
        var e = (m11 + m22) / 2;
        var f = (m11 - m22) / 2;
        var g = (m21 + m12) / 2;
        var h = (m21 - m12) / 2;
        var q = Math.Sqrt(e * e + h * h);
        var r = Math.Sqrt(f * f + g * g);
        var a1 = Math.Atan2(g, f);
        var a2 = Math.Atan2(h, e);
        var signedSigma2 = q - r;
        return new TwoByTwoSvd((a2 + a1) / 2, (a2 - a1) / 2, q + r, Math.Abs(signedSigma2), signedSigma2 < 0);
    }

    /// <summary>U Vᵀ: the orthogonal matrix nearest M, a rotation unless det M &lt; 0.</summary>
    public (double R11, double R12, double R21, double R22) OrthogonalFactor()
    {
        // Rot(φ) · diag(1, ±1) · Rot(θ), with Rot(a) = [[cos a, −sin a], [sin a, cos a]].
        var (cp, sp) = (Math.Cos(Phi), Math.Sin(Phi));
        var (ct, st) = (Math.Cos(Theta), Math.Sin(Theta));
        var mirror = Mirrored ? -1.0 : 1.0;
        return (cp * ct - mirror * sp * st, -cp * st - mirror * sp * ct,
                sp * ct + mirror * cp * st, -sp * st + mirror * cp * ct);
    }
}
