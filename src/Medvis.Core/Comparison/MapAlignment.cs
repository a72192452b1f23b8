namespace Medvis.Core.Comparison;

/// <summary>One map of an alignment: its shared points as it drew them and laid onto the first map.</summary>
/// <param name="X">Aligned first coordinate of each shared image (shared order).</param>
/// <param name="Y">Aligned second coordinate of each shared image.</param>
/// <param name="OwnX">The map's own first coordinate of each shared image, before alignment.</param>
/// <param name="OwnY">The map's own second coordinate of each shared image.</param>
/// <param name="Fit">The alignment onto the first map (identity, disparity 0, for the first map itself).</param>
/// <param name="DisplacementToFirst">
/// Per shared image, the distance between its aligned place here and its place in the first map, in units of the
/// first map's spread (root mean square distance of its points from their centre).
/// </param>
public sealed record AlignedPlacement(float[] X, float[] Y, float[] OwnX, float[] OwnY, ProcrustesFit Fit, double[] DisplacementToFirst);

/// <summary>
/// 2 or more maps of the same images matched by dataset index and laid onto the first by Procrustes: the part of a
/// <see cref="MapComparison"/> that takes a fraction of a second even for a million points (no neighbour search),
/// so a page can draw aligned maps before the neighbourhoods are known.
/// </summary>
/// <param name="Shared">The images every map shows and where each sits in every map.</param>
/// <param name="Maps">Per input map, its shared points aligned to the first map.</param>
public sealed record MapAlignment(SharedImages Shared, IReadOnlyList<AlignedPlacement> Maps)
{
    /// <summary>Matches <paramref name="maps"/> by dataset index and aligns each to the first over the images they all show.</summary>
    /// <exception cref="ArgumentException">Fewer than two maps or fewer than two shared images.</exception>
    public static MapAlignment Of(IReadOnlyList<IndexedMap> maps)
    {
        ArgumentNullException.ThrowIfNull(maps);
        if (maps.Count < 2) throw new ArgumentException($"A comparison needs at least 2 maps, got {maps.Count}.");
        var shared = SharedImages.Match(maps);
        if (shared.Count < 2) throw new ArgumentException($"The maps share {shared.Count} image(s); a comparison needs at least 2.");
        var columns = Enumerable.Range(0, maps.Count).Select(m => Columns(maps[m], shared.PointsOfMap[m])).ToArray();
        var (firstX, firstY) = columns[0];
        var spread = Spread(firstX, firstY);
        var placements = new List<AlignedPlacement>(maps.Count)
        {
            new(firstX, firstY, firstX, firstY, new ProcrustesFit(SimilarityTransform.Identity, 0), new double[shared.Count]),
        };
        foreach (var (x, y) in columns.Skip(1))
        {
            var fit = ProcrustesAlignment.Fit(firstX, firstY, x, y);
            var (alignedX, alignedY) = fit.Transform.Apply(x, y);
            placements.Add(new AlignedPlacement(alignedX, alignedY, x, y, fit, Displacements(firstX, firstY, alignedX, alignedY, spread)));
        }
        return new MapAlignment(shared, placements);
    }

    private static (float[] X, float[] Y) Columns(IndexedMap map, int[] points)
    {
        var (x, y) = (new float[points.Length], new float[points.Length]);
        for (var i = 0; i < points.Length; i++) (x[i], y[i]) = (map.X[points[i]], map.Y[points[i]]);
        return (x, y);
    }

    /// <summary>Root mean square distance from the centre; 1 for a map collapsed to a point so displacements stay finite.</summary>
    private static double Spread(float[] x, float[] y)
    {
        double mx = 0, my = 0;
        for (var i = 0; i < x.Length; i++) { mx += x[i]; my += y[i]; }
        (mx, my) = (mx / x.Length, my / x.Length);
        double sum = 0;
        for (var i = 0; i < x.Length; i++) sum += Square(x[i] - mx) + Square(y[i] - my);
        var rms = Math.Sqrt(sum / x.Length);
        return rms > 0 ? rms : 1;
    }

    private static double[] Displacements(float[] x0, float[] y0, float[] x1, float[] y1, double spread)
    {
        var moved = new double[x0.Length];
        for (var i = 0; i < moved.Length; i++) moved[i] = Math.Sqrt(Square(x1[i] - (double)x0[i]) + Square(y1[i] - (double)y0[i])) / spread;
        return moved;
    }

    private static double Square(double value) => value * value;
}
