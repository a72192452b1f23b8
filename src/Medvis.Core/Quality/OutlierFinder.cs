namespace Medvis.Core.Quality;

/// <summary>
/// Points in sparse places: the mean distance to the k nearest neighbours, relative to its typical value, in
/// the map and the features alike. With k = 15, a small cluster of similar artefacts (fewer than k images) still
/// stands out, because its neighbour lists must reach outside it.
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
            ratios[i] = spaces.Select(s => s.Distances[i].Average() / s.TypicalMean).ToArray();
            combined[i] = RelativeDistance.Combine(ratios[i]);
        }
        return Enumerable.Range(0, n)
            .OrderByDescending(i => combined[i]).ThenBy(i => i)
            .Take(options.Top)
            .Select(i => new QualityItem(i, input.Indices?[i] ?? i, input.Labels[i], combined[i],
                $"its {options.K} nearest neighbours lie {RelativeDistance.Times(combined[i])} as far as usual ({RelativeDistance.Describe(spaces, ratios[i])})"))
            .ToList();
    }
}
