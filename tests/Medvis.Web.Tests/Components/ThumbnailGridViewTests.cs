using Medvis.Core.Maps;
using Bunit;
using Medvis.Core.Storage;
using Medvis.Web.Components.Shared;
using Medvis.Web.Datasets;
using Medvis.Web.Extensions;
using Medvis.Web.Results;
using Medvis.Web.Training;
using Medvis.Web.Tests.Support;

namespace Medvis.Web.Tests.Components;

public sealed class ThumbnailGridViewTests : MudTestContext
{
    /// <summary>150 points of class 1 in the bottom-left cell, 20 of class 2 in the top-right one.</summary>
    private static RunResult TwoClusters()
    {
        var x = Enumerable.Repeat(0.1f, 150).Concat(Enumerable.Repeat(9.9f, 20)).ToArray();
        var y = Enumerable.Repeat(0.1f, 150).Concat(Enumerable.Repeat(9.9f, 20)).ToArray();
        x[0] = 0; y[0] = 0; x[^1] = 10; y[^1] = 10;
        var labels = Enumerable.Repeat(1, 150).Concat(Enumerable.Repeat(2, 20)).ToArray();
        return new RunResult(7, x, y, labels, Enumerable.Range(100, 170).ToArray(), ["a", "b", "c"]);
    }

    [Fact]
    public void WithThePapersThresholdOnlyTheFullCellShowsAnImageFramedInItsClassColour()
    {
        var cut = Render<ThumbnailGridView>(p => p.Add(c => c.Result, TwoClusters()).Add(c => c.Threshold, 100));

        var images = cut.FindAll("[data-testid=grid-image]");
        var image = Assert.Single(images);
        Assert.Contains(ClassPalette.Of(1), image.GetAttribute("style"));
        Assert.StartsWith("api/runs/7/images/", image.QuerySelector("img")!.GetAttribute("src"));
        Assert.Equal(100, cut.FindAll(".medvis-grid-cell").Count);
    }

    [Fact]
    public void LoweringTheThresholdInTheFieldShowsMoreCells()
    {
        var chosen = 0;
        var cut = Render<ThumbnailGridView>(p => p
            .Add(c => c.Result, TwoClusters())
            .Add(c => c.Threshold, 100)
            .Add(c => c.ThresholdChanged, v => chosen = v));

        cut.Find("input").Change("10");

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=grid-image]").Count), Patience);
        Assert.Equal(10, chosen);
        Assert.Contains(cut.FindAll("[data-testid=grid-image]"), e => e.GetAttribute("style")!.Contains(ClassPalette.Of(2)));
    }
}
