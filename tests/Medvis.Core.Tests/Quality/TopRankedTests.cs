using Medvis.Core.Quality;

namespace Medvis.Core.Tests.Quality;

/// <summary>The finders' top lists come from a bounded heap: they must equal sorting every point and taking the first.</summary>
public sealed class TopRankedTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(150)]
    [InlineData(5_000)]
    public void TheTopEqualsSortingEveryPointWithTiesAndAFilter(int top)
    {
        var random = new Random(top);
        // Few distinct values (many ties, broken by index) and some NaN, which sort first as OrderBy sorts them.
        var values = Enumerable.Range(0, 4_000).Select(_ => random.Next(20) == 0 ? double.NaN : random.Next(30) / 3.0).ToArray();
        Comparison<int> compare = (a, b) => values[b].CompareTo(values[a]) is var c and not 0 ? c : a.CompareTo(b);

        var expected = Enumerable.Range(0, values.Length).Where(i => i % 7 != 0)
            .OrderByDescending(i => values[i]).ThenBy(i => i).Take(top).ToArray();

        Assert.Equal(expected, TopRanked.Of(values.Length, top, compare, i => i % 7 != 0));
    }
}
