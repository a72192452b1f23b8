using Medvis.Core.Comparison;
using Medvis.Core.Maps;
using Medvis.Web.Results;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Services;

/// <summary>The large-map comparison over runs stored in a real database: the same alignment as the small one, lasso and hover through the grid, the overlay, the per-class rows and the bound on the neighbour search.</summary>
public sealed class LargeComparisonsTests : DatabasePageTestContext
{
    private readonly FinishedMaps _maps;

    public LargeComparisonsTests()
    {
        AddDatasetServices();
        Services.AddSingleton<RunResults>();
        Services.AddSingleton<RunComparisons>();
        Services.AddSingleton<LargeComparisons>();
        _maps = new FinishedMaps(Database);
    }

    [Fact]
    public async Task ATurnedCopyIsAlignedAsTheSmallComparisonAlignsItAndAnswersLassoHoverAndOverlay()
    {
        var first = _maps.Add("seed 1", 300, 2);
        var copy = _maps.AddTurnedCopy("seed 2", first);

        var small = (await Services.GetRequiredService<RunComparisons>().CompareAsync(Caller, [first, copy])).Comparison!;
        var (large, problem) = await Services.GetRequiredService<LargeComparisons>().OpenAsync(Caller, [first, copy]);

        Assert.Null(problem);
        Assert.Equal(small.Runs[1].Map.X, large!.Alignment.Maps[1].X);
        Assert.Equal(small.Runs[1].Map.Y, large.Alignment.Maps[1].Y);
        Assert.Equal(small.Labels, large.Labels);
        // A lasso in the second (aligned) map finds what a scan of its points finds, and its bitset marks exactly those.
        // A triangle over part of the map: from its lower left corner to the middle of its right side.
        var (ax, ay) = (large.Alignment.Maps[1].X, large.Alignment.Maps[1].Y);
        var (xs, ys) = (new double[] { ax.Min() - 1, ax.Max() + 1, ax.Min() - 1 }, new double[] { ay.Min() - 1, (ay.Min() + ay.Max()) / 2.0, ay.Max() + 1 });
        var polygon = xs.Select((x, i) => new PlanePoint(x, ys[i])).ToArray();
        var expected = Enumerable.Range(0, large.SharedCount).Where(i => PointGrid.Contains(polygon, large.Alignment.Maps[1].X[i], large.Alignment.Maps[1].Y[i])).ToArray();
        var inside = large.InLasso(1, xs, ys);
        Assert.Equal(expected, inside);
        Assert.InRange(inside.Length, 1, large.SharedCount - 1);
        var bits = large.SelectionBits(inside);
        Assert.Equal(expected, Enumerable.Range(0, large.SharedCount).Where(i => (bits[i / 8] >> (i % 8) & 1) == 1));
        // Hover at an image's aligned place in the second map finds it.
        Assert.Equal(17, large.Nearest(1, large.Alignment.Maps[1].X[17], large.Alignment.Maps[1].Y[17], 1e-6)!.Point);

        Assert.Null(large.KeptColumn(1));
        var neighbourhoods = await large.Neighbourhoods;
        Assert.Equal(small.Runs[1].Map.JaccardToFirst, neighbourhoods.Maps[1].JaccardToFirst);
        Assert.All(large.KeptColumn(1)!, b => Assert.Equal(255, b));
        var rows = large.ClassAgreementRows(neighbourhoods);
        Assert.Equal(FinishedMaps.ClassNames, rows.Select(r => r.Name));
        Assert.All(rows, r => Assert.Equal(0.0, r.DeltaToFirst[0]!.Value, 1e-12));
        Assert.All(large.Describe(inside, 50).CohesionPerRun, c => Assert.NotNull(c));
    }

    [Fact]
    public async Task ANeighbourSearchPastTheBoundFailsWithAMessageAndLeavesTheMapsWorking()
    {
        var first = _maps.Add("seed 1", 120, 2);
        var copy = _maps.AddTurnedCopy("seed 2", first);
        var runs = new[] { first, copy }.Select(id => (Database.Runs.Get(id)!, Database.Artifacts.LoadResult(id)!)).ToList();
        var alignment = MapAlignment.Of(runs.Select(r => new IndexedMap(r.Item2.X, r.Item2.Y, r.Item2.DatasetIndices)).ToList());

        var bounded = new LargeComparison(runs, alignment, maxNeighbourSearchPoints: 200);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => bounded.Neighbourhoods);
        Assert.Contains("120 images × 2 maps is over the 200", error.Message);
        Assert.Null(bounded.KeptColumn(0));
        Assert.All(bounded.Describe([1, 2, 3], 10).CohesionPerRun, c => Assert.Null(c));
        Assert.NotEmpty(bounded.InLasso(0, [-1e6, 1e6, 1e6, -1e6], [-1e6, -1e6, 1e6, 1e6]));
    }
}
