using Medvis.Web.Datasets;
using Medvis.Web.Extensions;
using Medvis.Web.Results;
using Medvis.Web.Training;

namespace Medvis.Web.Tests.Services;

public sealed class TrainingDataLoaderTests
{
    [Fact]
    public void ASubsetIsSortedDistinctAndTheSameForTheSameSeed()
    {
        var a = TrainingDataLoader.SubsetIndices(1000, 256, seed: 4);
        var b = TrainingDataLoader.SubsetIndices(1000, 256, seed: 4);
        var c = TrainingDataLoader.SubsetIndices(1000, 256, seed: 5);

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
        Assert.Equal(Enumerable.Range(0, 10), TrainingDataLoader.SubsetIndices(10, max, 1));
}
