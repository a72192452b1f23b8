using Medvis.Core.Data;

namespace Medvis.Core.Tests.Data;


public sealed class SeededSubsetTests
{
    [Fact]
    public void ASubsetIsSortedDistinctAndTheSameForTheSameSeed()
    {
        var a = SeededSubset.Choose(1000, 256, seed: 4);
        var b = SeededSubset.Choose(1000, 256, seed: 4);
        var c = SeededSubset.Choose(1000, 256, seed: 5);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(256, a.Distinct().Count());
        Assert.Equal(a.Order(), a);
        Assert.All(a, i => Assert.InRange(i, 0, 999));
        Assert.True(a[^1] > 500, "a random subset should not just be the first images");
    }

    [Theory]
    [InlineData(null)]
    [InlineData(10)]
    [InlineData(50)]
    public void NoLimitOrALimitAboveTheCountKeepsEveryImage(int? max) =>
        Assert.Equal(Enumerable.Range(0, 10), SeededSubset.Choose(10, max, 1));
}
