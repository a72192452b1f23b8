namespace Medvis.Web.Results;

/// <summary>The images a selection preview shows, and one sentence saying how they were drawn.</summary>
/// <param name="Points">Point indices to show, grouped by class.</param>
/// <param name="HowDrawn">What the preview is: all of the selection, or how the sample was taken.</param>
public sealed record SampledSelection(int[] Points, string HowDrawn);

/// <summary>
/// Draws the preview of a lasso selection: a random sample stratified by class, each class getting places in
/// proportion to its share of the selection (largest remainders first), so the preview looks like the selection
/// and not like its first classes.
/// </summary>
public static class SelectionSample
{
    /// <summary>
    /// Up to <paramref name="max"/> of <paramref name="points"/>, where <paramref name="labelOf"/> gives each point's
    /// class. The sample depends only on the selection's content, so redrawing the page does not reshuffle it.
    /// </summary>
    public static SampledSelection Draw(IReadOnlyCollection<int> points, Func<int, int> labelOf, int max)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(labelOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var classes = points.Distinct().Order().GroupBy(labelOf).OrderBy(g => g.Key).Select(g => g.ToArray()).ToArray();
        var total = classes.Sum(c => c.Length);
        if (total <= max)
            return new SampledSelection(classes.SelectMany(c => c).ToArray(), $"Showing all {total:N0} selected images, by class.");
        var random = new Random(SeedOf(classes));
        var places = Allocate(classes.Select(c => c.Length).ToArray(), max);
        var sample = classes.SelectMany((members, c) => members.OrderBy(_ => random.Next()).Take(places[c]).Order()).ToArray();
        return new SampledSelection(sample,
            $"Showing {sample.Length:N0} of {total:N0} selected images: a random sample stratified by class (each class in proportion to its share of the selection), by class.");
    }

    /// <summary>Places per class proportional to its size, summing to <paramref name="max"/>; leftover places go to the largest remainders.</summary>
    internal static int[] Allocate(int[] sizes, int max)
    {
        var total = (double)sizes.Sum();
        var exact = sizes.Select(s => s * max / total).ToArray();
        var places = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var leftover = max - places.Sum();
        foreach (var c in Enumerable.Range(0, sizes.Length).OrderByDescending(c => exact[c] - places[c]).ThenBy(c => c).Take(leftover))
            places[c]++;
        return places;
    }

    private static int SeedOf(int[][] classes)
    {
        var seed = 17;
        foreach (var point in classes.SelectMany(c => c)) seed = unchecked(seed * 31 + point);
        return seed;
    }
}
