using Medvis.Web.Results;

namespace Medvis.Web.Tests.Services;

/// <summary>The selection preview: a class-stratified random sample that says how it was drawn.</summary>
public sealed class SelectionSampleTests
{
    [Fact]
    public void ALargeSelectionIsSampledInProportionToItsClassesNotInClassOrder()
    {
        // The walk's case: 2,003 points, mostly class 5 (immature granulocytes), 40 of class 0 (basophils) listed first.
        var labels = Enumerable.Range(0, 2003).Select(i => i < 40 ? 0 : i < 163 ? 2 : 5).ToArray();
        var points = Enumerable.Range(0, 2003).ToArray();

        var sample = SelectionSample.Draw(points, p => labels[p], 200);

        Assert.Equal(200, sample.Points.Length);
        Assert.Equal(200, sample.Points.Distinct().Count());
        Assert.Equal(4, sample.Points.Count(p => labels[p] == 0));    // 40/2003 of 200 = 3.99
        Assert.Equal(12, sample.Points.Count(p => labels[p] == 2));   // 123/2003 of 200 = 12.28
        Assert.Equal(184, sample.Points.Count(p => labels[p] == 5));
        // Random within a class: not just the lowest indices of class 5.
        Assert.True(sample.Points.Where(p => labels[p] == 5).Max() > 1500);
        Assert.Contains("200 of 2,003", sample.HowDrawn);
        Assert.Contains("random sample stratified by class", sample.HowDrawn);
    }

    [Fact]
    public void TheSampleDependsOnlyOnTheSelectionsContent()
    {
        var points = Enumerable.Range(0, 1000).ToArray();
        var first = SelectionSample.Draw(points, p => p % 3, 50);
        var again = SelectionSample.Draw(points.Reverse().ToArray(), p => p % 3, 50);
        var other = SelectionSample.Draw(points.Skip(1).ToArray(), p => p % 3, 50);

        Assert.Equal(first.Points, again.Points);
        Assert.Equal(first.HowDrawn, again.HowDrawn);
        Assert.NotEqual(first.Points, other.Points);
    }

    [Fact]
    public void ASmallSelectionIsShownWholeAndSaysSo()
    {
        var sample = SelectionSample.Draw([9, 3, 7, 3], p => p % 2, 200);

        Assert.Equal([3, 7, 9], sample.Points);
        Assert.Equal("Showing all 3 selected images, by class.", sample.HowDrawn);
    }

    [Theory]
    [InlineData(new[] { 1, 1, 1 }, 2)]
    [InlineData(new[] { 40, 123, 1840 }, 200)]
    [InlineData(new[] { 5, 0, 995 }, 10)]
    public void PlacesSumToTheSampleSizeAndNoClassGetsMoreThanItHas(int[] sizes, int max)
    {
        var places = SelectionSample.Allocate(sizes, max);

        Assert.Equal(max, places.Sum());
        Assert.All(Enumerable.Range(0, sizes.Length), c => Assert.InRange(places[c], 0, sizes[c]));
    }
}
