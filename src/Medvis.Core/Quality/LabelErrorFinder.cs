namespace Medvis.Core.Quality;

/// <summary>
/// Likely label errors: points whose k nearest map neighbours mostly carry another label. The score is the share
/// of such neighbours; among equal shares, a point sitting closer to its other-labelled neighbours (deeper inside
/// another class) ranks first.
/// </summary>
internal sealed class LabelErrorFinder(QualityOptions options)
{
    /// <summary>The <see cref="QualityOptions.Top"/> points most surrounded by other labels.</summary>
    public IReadOnlyList<QualityItem> Find(QualityInput input, NeighbourSpace map)
    {
        var n = input.Labels.Length;
        var share = new double[n];
        var closeness = new double[n];
        for (var i = 0; i < n; i++)
        {
            var others = Enumerable.Range(0, map.Neighbours[i].Length).Where(m => input.Labels[map.Neighbours[i][m]] != input.Labels[i]).ToArray();
            share[i] = (double)others.Length / map.Neighbours[i].Length;
            closeness[i] = others.Length == 0 ? double.PositiveInfinity : others.Average(m => map.Distances[i][m]);
        }
        return TopRanked.Of(n, options.Top, (a, b) =>
                share[b].CompareTo(share[a]) is var byShare and not 0 ? byShare
                : closeness[a].CompareTo(closeness[b]) is var byCloseness and not 0 ? byCloseness
                : a.CompareTo(b),
                i => share[i] > 0)
            .Select(i => new QualityItem(i, input.Indices?[i] ?? i, input.Labels[i], share[i], Reason(i, input, map)))
            .ToList();
    }

    private static string Reason(int point, QualityInput input, NeighbourSpace map)
    {
        var labels = map.Neighbours[point].Select(p => input.Labels[p]).ToArray();
        var (majority, count) = labels.Where(l => l != input.Labels[point]).CountBy(l => l)
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key).Select(p => (p.Key, p.Value)).First();
        var others = labels.Count(l => l != input.Labels[point]);
        return $"{others} of {labels.Length} nearest neighbours carry another label ({count} '{Name(input, majority)}'); labelled '{Name(input, input.Labels[point])}'";
    }

    private static string Name(QualityInput input, int label) =>
        label < input.ClassNames.Count ? input.ClassNames[label] : $"class {label}";
}
