namespace Medvis.Core.Quality;

/// <summary>
/// Points in sparse places: the distance to the k-th nearest neighbour, relative to its typical value, in the
/// map and the features. The k-th distance rather than a mean over the k: a small cluster of similar artefacts
/// (fewer than k = 15 images, as the paper's Fig. 6 shows them) keeps each other close, and only the k-th
/// neighbour, which must lie outside the cluster, tells how far it sits from the real images.
/// A point is as suspicious as its most suspicious space: t-SNE-like maps give every cluster a similar density,
/// so a tight cluster of random-noise images can look ordinary on the map and stand out in the features alone.
/// To compare spaces, each log-ratio is divided by its space's own spread (a robust z-score: 1.4826 × the median
/// absolute log-ratio), because map ratios spread wider than feature ratios.
/// </summary>
internal sealed class OutlierFinder(QualityOptions options)
{
    /// <summary>Scales a median absolute deviation to a standard deviation for normally distributed values.</summary>
    private const double MadToDeviation = 1.4826;

    /// <summary>The <see cref="QualityOptions.Top"/> points farthest from their neighbours, farthest first.</summary>
    public IReadOnlyList<QualityItem> Find(QualityInput input, IReadOnlyList<NeighbourSpace> spaces)
    {
        var n = input.Labels.Length;
        var ratios = Enumerable.Range(0, n).Select(i => spaces.Select(s => s.Distances[i][^1] / s.TypicalFarthest).ToArray()).ToArray();
        var scores = Enumerable.Range(0, spaces.Count).Select(s => RobustScores(ratios.Select(r => r[s]).ToArray())).ToArray();
        var best = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, spaces.Count).MaxBy(s => scores[s][i])).ToArray();
        return TopRanked.Of(n, options.Top, (a, b) => Then(scores[best[b]][b].CompareTo(scores[best[a]][a]), a, b))
            .Select(i => new QualityItem(i, input.Indices?[i] ?? i, input.Labels[i], scores[best[i]][i],
                $"its {options.K}th nearest neighbour lies {RelativeDistance.Times(ratios[i][best[i]])} as far as usual in the {spaces[best[i]].Name} "
                + $"({RelativeDistance.Describe(spaces, ratios[i])})"))
            .ToList();
    }

    private static int Then(int byScore, int a, int b) => byScore != 0 ? byScore : a.CompareTo(b);

    /// <summary>Per point, its log-ratio over the space's robust spread of log-ratios.</summary>
    private static double[] RobustScores(double[] ratios)
    {
        var logs = ratios.Select(r => Math.Log(Math.Max(r, 1e-3))).ToArray();
        var centre = Median(logs);
        var spread = MadToDeviation * Median(logs.Select(l => Math.Abs(l - centre)).ToArray());
        return logs.Select(l => (l - centre) / (spread > 0 ? spread : 1)).ToArray();
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
