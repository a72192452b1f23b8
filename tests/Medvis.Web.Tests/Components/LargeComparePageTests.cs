using System.Globalization;
using Bunit;
using Medvis.Web.Components.Pages;
using Medvis.Web.Components.Shared;
using Medvis.Web.Extensions;
using Medvis.Web.Results;
using Medvis.Web.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Components;

/// <summary>
/// The compare page with maps over Medvis:LargeMapPoints (the WebGL view): a link's zoom, lasso and picked image are
/// restored in every map, and the person's zoom, lasso and clearing go back into the address.
/// </summary>
public sealed class LargeComparePageTests : DatabasePageTestContext
{
    private readonly FinishedMaps _maps;

    public LargeComparePageTests()
    {
        AddDatasetServices();
        Services.Configure<MedvisOptions>(o => o.LargeMapPoints = 50);
        Services.AddSingleton<RunResults>();
        Services.AddSingleton<RunComparisons>();
        Services.AddSingleton<LargeMaps>();
        Services.AddSingleton<LargeComparisons>();
        SetRendererInfo(new RendererInfo("Server", true));
        RenderPopoverProvider();
        _maps = new FinishedMaps(Database);
    }

    private IRenderedComponent<Compare> Open(int first, int second, string query)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"compare?runs={first},{second}{query}");
        var cut = Render<Compare>();
        // The comparison is opened off the renderer's thread.
        cut.WaitForState(() => cut.FindComponents<LargeMapCanvas>().Count == 2, Patience);
        return cut;
    }

    [Fact]
    public async Task ALinksZoomLassoAndPickedImageAreRestoredInTheLargeMapsAndHostileValuesAreIgnored()
    {
        var first = _maps.Add("seed 1", 90, 1);
        var copy = _maps.AddTurnedCopy("seed 2", first);
        var (large, _) = await Services.GetRequiredService<LargeComparisons>().OpenAsync(Caller, [first, copy]);
        var classOne = Enumerable.Range(0, large!.SharedCount).Where(i => large.Labels[i] == 1).ToArray();
        var (mx, my) = (large.Alignment.Maps[1].X, large.Alignment.Maps[1].Y);
        var (x0, x1) = (classOne.Min(i => mx[i]) - 0.5, classOne.Max(i => mx[i]) + 0.5);
        var (y0, y1) = (classOne.Min(i => my[i]) - 0.5, classOne.Max(i => my[i]) + 0.5);
        static string N(double v) => Math.Round(v, 2).ToString(CultureInfo.InvariantCulture);

        var cut = Open(first, copy, $"&zoom=-1_12_-2_11&lasso={N(x0)}_{N(y0)}_{N(x1)}_{N(y0)}_{N(x1)}_{N(y1)}_{N(x0)}_{N(y1)}&lassoin=1");

        // The lasso's map asks its index for the outline's images; every map gets them.
        cut.WaitForAssertion(() => Assert.Contains("Selection: 30 image(s)", cut.Find("[data-testid=selection-count]").TextContent), Patience);
        var canvases = cut.FindComponents<LargeMapCanvas>();
        Assert.All(canvases, c => Assert.Equal(new MapZoom(-1, 12, -2, 11), c.Instance.Zoom));
        Assert.Null(canvases[0].Instance.Lasso);
        Assert.Equal(4, canvases[1].Instance.Lasso!.Count);

        // A picked image by its dataset index; then values that fit nothing.
        var picked = Open(first, copy, $"&point={large.Alignment.Shared.DatasetIndices[7]}");
        picked.WaitForAssertion(() => Assert.Contains("Selection: 1 image(s)", picked.Find("[data-testid=selection-count]").TextContent), Patience);
        Assert.All(picked.FindComponents<LargeMapCanvas>(), c => Assert.Null(c.Instance.Lasso));
        var hostile = Open(first, copy, "&zoom=5_1_0_1&lasso=NaN_0_1_0_1_1&lassoin=7&point=99999");
        Assert.All(hostile.FindComponents<LargeMapCanvas>(), c =>
        {
            Assert.Null(c.Instance.Zoom);
            Assert.Null(c.Instance.Lasso);
        });
        Assert.Contains("Selection: 0 image(s)", hostile.Find("[data-testid=selection-count]").TextContent);
    }

    [Fact]
    public async Task ZoomingOneLargeMapZoomsAllAndTheZoomLassoAndClearingGoIntoTheAddress()
    {
        var first = _maps.Add("seed 1", 90, 1);
        var copy = _maps.AddTurnedCopy("seed 2", first);
        var cut = Open(first, copy, "");
        // The neighbour search ends in the background with a render; waited for, so that it cannot re-render the
        // page between finding the clear button and clicking it.
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=neighbourhood-status]").GetAttribute("data-ready")), Patience);
        var canvases = cut.FindComponents<LargeMapCanvas>();

        await cut.InvokeAsync(() => canvases[1].Instance.OnZoomed([1.23456, 9.87654, -2, 2]));

        // Rounded to 1/4,000 of the 4-unit span, and handed to every map (the aligned maps show the same range).
        Assert.All(cut.FindComponents<LargeMapCanvas>(), c => Assert.Equal(new MapZoom(1.235, 9.877, -2, 2), c.Instance.Zoom));
        Assert.Equal("1.235_9.877_-2_2", Address()["zoom"]);

        // A box around classes 0 and 1 in the first map (x 0..11, y 0..9): 60 of the 90 images.
        await cut.InvokeAsync(() => cut.FindComponents<LargeMapCanvas>()[0].Instance.OnLasso([-1, 12, 12, -1], [-1, -1, 10, 10]));
        cut.WaitForAssertion(() => Assert.Contains("Selection: 60 image(s)", cut.Find("[data-testid=selection-count]").TextContent), Patience);
        var address = Address();
        Assert.Equal("-1_-1_12_-1_12_10_-1_10", address["lasso"]);
        Assert.Null(address["lassoin"]); // the first map is the default
        Assert.Equal("1.235_9.877_-2_2", address["zoom"]);
        Assert.NotNull(cut.FindComponents<LargeMapCanvas>()[0].Instance.Lasso);
        Assert.Null(cut.FindComponents<LargeMapCanvas>()[1].Instance.Lasso);

        cut.Find("[data-testid=clear-selection]").Click();
        Assert.Null(Address()["lasso"]);
        Assert.Equal("1.235_9.877_-2_2", Address()["zoom"]);
        Assert.Contains("Selection: 0 image(s)", cut.Find("[data-testid=selection-count]").TextContent);
        Assert.All(cut.FindComponents<LargeMapCanvas>(), c => Assert.Null(c.Instance.Lasso));
    }

    /// <summary>The query values the page last wrote into its address.</summary>
    private IReadOnlyDictionary<string, string?> Address() =>
        (IReadOnlyDictionary<string, string?>)JSInterop.Invocations["medvis.replaceQueryValues"][^1].Arguments[0]!;
}
