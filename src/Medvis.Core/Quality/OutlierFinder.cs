namespace Medvis.Core.Quality;

/// <summary>
/// Points in sparse places: the distance to the k-th nearest neighbour, relative to its typical value, in the
/// map and the features alike. The k-th distance rather than a mean over the k: a small cluster of similar
/// artefacts (fewer than k = 15 images, as the paper's Fig. 6 shows them) keeps each other close, and only the
/// k-th neighbour, which must lie outside the cluster, tells how far it sits from the real images.
/// </summary>
internal sealed class OutlierFinder(QualityOptions options)
{
    /// <summary>The <see cref="QualityOptions.Top"/> points farthest from their neighbours, farthest first.</summary>
    public IReadOnlyList<QualityItem> Find(QualityInput input, IReadOnlyList<NeighbourSpace> spaces)
    {
        var n = input.Labels.Length;
        var ratios = new double[n][];
        var combined = new double[n];
        for (var i = 0; i < n; i++)
        {
            ratios[i] = spaces.Select(s => s.Distances[i][^1] / s.TypicalFarthest).ToArray();
            combined[i] = RelativeDistance.Combine(ratios[i]);
        }
        return Enumerable.Range(0, n)
            .OrderByDescending(i => combined[i]).ThenBy(i => i)
            .Take(options.Top)
            .Select(i => new QualityItem(i, input.Indices?[i] ?? i, input.Labels[i], combined[i],
                $"its {options.K}th nearest neighbour lies {RelativeDistance.Times(combined[i])} as far as usual ({RelativeDistance.Describe(spaces, ratios[i])})"))
            .ToList();
    }
}
