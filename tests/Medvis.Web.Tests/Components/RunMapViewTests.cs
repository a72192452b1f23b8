using Bunit;
using Medvis.Core.Storage;
using Medvis.Web.Components.Shared;
using Medvis.Web.Results;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Components;

/// <summary>The finished map's selection preview, metadata colouring and filter, and the neighbours of a clicked point.</summary>
public sealed class RunMapViewTests : DatabasePageTestContext
{
    public RunMapViewTests()
    {
        AddDatasetServices();
        Services.AddSingleton<RunResults>();
        Services.AddSingleton<RunSimilarity>();
    }

    [Fact]
    public async Task ALargeLassoPreviewsAClassStratifiedSampleAndSaysHowItWasDrawn()
    {
        // 2,003 points listed in class order: 40 of class 0 first, then 1,963 of class 2.
        var labels = Enumerable.Range(0, 2003).Select(i => i < 40 ? 0 : 2).ToArray();
        var x = labels.Select((_, i) => (float)i).ToArray();
        var result = new RunResult(1, x, x, labels, Enumerable.Range(0, 2003).ToArray(), FinishedMaps.ClassNames);
        var cut = Render<RunMapView>(p => p.Add(v => v.Result, result).Add(v => v.Caller, Caller));

        var scatter = cut.FindComponent<ClassScatter>();
        await cut.InvokeAsync(() => scatter.Instance.Lassoed.InvokeAsync(new DrawnLasso([new(-1, -1), new(2004, -1), new(2004, 2004), new(-1, 2004)])));

        var shown = cut.FindAll("[data-testid=selection-grid] img");
        Assert.Equal(200, shown.Count);
        Assert.Equal(4, shown.Count(img => img.GetAttribute("title") == FinishedMaps.ClassNames[0]));
        Assert.Contains("Showing 200 of 2,003 selected images: a random sample stratified by class", cut.Find("[data-testid=selection-how]").TextContent);
    }

    [Fact]
    public async Task ALargeMapIsDrawnByTheCanvasAndItsHoverAndLassoAreAnsweredByTheServersIndex()
    {
        Services.Configure<Medvis.Web.Extensions.MedvisOptions>(o => o.LargeMapPoints = 100);
        Services.AddSingleton<LargeMaps>();
        // 400 points on a 20×20 lattice, labels by column; images of the demo (whose first 400 exist).
        var demo = Services.GetRequiredService<Medvis.Web.Datasets.DatasetService>().Register(Auth.Caller.System, "demo").Dataset!;
        var x = Enumerable.Range(0, 400).Select(i => (float)(i % 20)).ToArray();
        var y = Enumerable.Range(0, 400).Select(i => (float)(i / 20)).ToArray();
        var labels = Enumerable.Range(0, 400).Select(i => i % 20 < 10 ? 0 : 1).ToArray();
        var run = Database.Runs.Add(new RunRecord { Name = "big", Status = RunStatus.Done, DatasetId = demo.Id, DatasetSpec = demo.Spec, DatasetName = demo.Name, ImageSize = demo.ImageSize });
        var result = new RunResult(run.Id, x, y, labels, Enumerable.Range(0, 400).ToArray(), FinishedMaps.ClassNames);
        Database.Artifacts.SaveResult(result);
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", true));
        var cut = Render<RunMapView>(p => p.Add(v => v.Result, result).Add(v => v.Caller, Caller));

        Assert.Empty(cut.FindComponents<ClassScatter>());
        var canvas = cut.FindComponent<LargeMapCanvas>();
        var hovered = await cut.InvokeAsync(() => canvas.Instance.OnHover(12.2, 3.9, 0.5));
        Assert.Equal(4 * 20 + 12, hovered!.Point);
        Assert.Null(await cut.InvokeAsync(() => canvas.Instance.OnHover(50, 50, 0.5)));
        Assert.Equal((4 * 20 + 12).ToString(System.Globalization.CultureInfo.InvariantCulture), cut.Find("[data-testid=hover-image]").GetAttribute("data-point"));

        // A lasso around columns 5..14 of rows 0..9: 100 points, half of each class.
        await cut.InvokeAsync(() => canvas.Instance.OnLasso([4.5, 14.5, 14.5, 4.5], [-0.5, -0.5, 9.5, 9.5]));
        // The outline goes to the map view, which keeps it and hands it back to the canvas, which asks the index.
        cut.WaitForAssertion(() => Assert.Contains("Selection: 100 point(s)", cut.Markup), TimeSpan.FromSeconds(10));
        Assert.Equal(100, cut.FindAll("[data-testid=selection-grid] img").Count);
        Assert.Equal(50, cut.FindAll("[data-testid=selection-grid] img").Count(img => img.GetAttribute("title") == FinishedMaps.ClassNames[0]));
    }

    private static readonly Core.Maps.PlanePoint[] BoxFiveToFourteen = [new(4.5, -1), new(14.5, -1), new(14.5, 1), new(4.5, 1)];

    [Fact]
    public void AViewFromTheAddressRestoresTheZoomTheLassosSelectionWithItsContextAndTheClickedPointsNeighbours()
    {
        var result = StoreDemoRun();
        var view = new MapViewState(new MapZoom(2, 20, -5, 5), BoxFiveToFourteen, 0, Image: 30);

        var cut = Render<RunMapView>(p => p.Add(v => v.Result, result).Add(v => v.Caller, Caller).Add(v => v.View, view));

        var scatter = cut.FindComponent<ClassScatter>().Instance;
        Assert.Equal(view.Zoom, scatter.Zoom);
        Assert.Equal(BoxFiveToFourteen, scatter.Outline);
        Assert.Equal(Enumerable.Range(5, 10), scatter.Selection!.Order());
        Assert.Equal("not selected", scatter.ContextName);
        Assert.Contains("Selection: 10 point(s)", cut.Find("[data-testid=selection-count]").TextContent);
        Assert.Equal(10, cut.FindAll("[data-testid=selection-grid] img").Count);
        cut.WaitForAssertion(() => Assert.Equal([30], cut.FindComponent<ClassScatter>().Instance.Marked!.Single(m => m.Name == "clicked point").Points), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void TheMapSaysItIsDrawingUntilPlotlyHasDrawnItsPoints()
    {
        var plotly = JSInterop.SetupModule("./_content/Plotly.Blazor/plotly-interop-7.2.0.js");
        var newPlot = plotly.SetupVoid("newPlot", _ => true); // pending until the test completes it
        var result = StoreDemoRun();

        var cut = Render<RunMapView>(p => p.Add(v => v.Result, result).Add(v => v.Caller, Caller));

        Assert.Contains($"Drawing {result.X.Length:N0} points", cut.Find("[data-testid=map-loading]").TextContent);
        cut.InvokeAsync(() => newPlot.SetVoidResult());
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=map-loading]")), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void AnImageOrLassoThatDoesNotFitTheMapIsDropped()
    {
        var result = StoreDemoRun();
        var view = new MapViewState(null, [new(100, 100), new(101, 100), new(101, 101)], 0, Image: 4000);

        var cut = Render<RunMapView>(p => p.Add(v => v.Result, result).Add(v => v.Caller, Caller).Add(v => v.View, view));

        Assert.Contains("Selection: 0 point(s)", cut.Find("[data-testid=selection-count]").TextContent);
        Assert.Null(cut.FindComponent<NeighbourPanel>().Instance.Point);
    }

    [Fact]
    public async Task ClickingAPointKeepsTheLassoSelectionAndEachChangeIsReportedForTheAddress()
    {
        var result = StoreDemoRun();
        var reported = new List<MapViewState>();
        var cut = Render<RunMapView>(p => p.Add(v => v.Result, result).Add(v => v.Caller, Caller).Add(v => v.ViewChanged, (MapViewState s) => reported.Add(s)));
        var scatter = cut.FindComponent<ClassScatter>();

        // The second class's trace hidden from the legend: the lasso takes only the first class's points.
        await cut.InvokeAsync(() => scatter.Instance.OnLassoed([4.5, 14.5, 14.5, 4.5], [-1, -1, 1, 1], [1]));
        Assert.Contains("Selection: 5 point(s)", cut.Find("[data-testid=selection-count]").TextContent);
        await cut.InvokeAsync(() => scatter.Instance.Lassoed.InvokeAsync(new DrawnLasso(BoxFiveToFourteen)));
        Assert.Equal(BoxFiveToFourteen, reported[^1].Lasso);

        await cut.InvokeAsync(() => scatter.Instance.PointClicked.InvokeAsync(20));
        // A click in lasso mode draws no outline: the page reports nothing, and nothing ends the selection.
        await cut.InvokeAsync(() => scatter.Instance.Lassoed.InvokeAsync(new DrawnLasso([new(20, 0), new(20, 0), new(20, 0)])));

        cut.WaitForAssertion(() => Assert.Contains("clicked point", cut.FindComponent<ClassScatter>().Instance.Marked!.Select(m => m.Name)), TimeSpan.FromSeconds(10));
        Assert.Contains("Selection: 10 point(s)", cut.Find("[data-testid=selection-count]").TextContent);
        Assert.Equal(10, cut.FindAll("[data-testid=selection-grid] img").Count);
        Assert.Equal(Enumerable.Range(5, 10), cut.FindComponent<ClassScatter>().Instance.Selection!.Order());
        Assert.Equal(new MapViewState(null, BoxFiveToFourteen, 0, 20), reported[^1] with { Lasso = BoxFiveToFourteen });
        Assert.Equal(BoxFiveToFourteen, reported[^1].Lasso);

        await cut.InvokeAsync(() => cut.FindComponent<ClassScatter>().Instance.OnZoomed([1.23456, 9.87654, -2, 2]));
        Assert.Equal(new MapZoom(1.235, 9.877, -2, 2), reported[^1].Zoom); // rounded to 1/4,000 of the 4-unit span
        Assert.Equal(20, reported[^1].Image);

        cut.Find("[data-testid=clear-selection]").Click();
        Assert.Null(reported[^1].Lasso);
        Assert.Contains("Selection: 0 point(s)", cut.Find("[data-testid=selection-count]").TextContent);
        Assert.Equal(20, reported[^1].Image);
    }

    /// <summary>
    /// A done run over the first 40 demo images with the demo registered; its map is a line, x = dataset index. With
    /// <paramref name="lesionIds"/> its metadata describes every image of the split and has a column
    /// <c>lesion_id</c> ("HAM_0000017" for image 17): more distinct values than the category limit, so an identifier.
    /// </summary>
    private RunResult StoreDemoRun(bool lesionIds = false)
    {
        var dataset = Services.GetRequiredService<Medvis.Web.Datasets.DatasetService>().Register(Medvis.Web.Auth.Caller.System, "demo").Dataset!;
        var run = Database.Runs.Add(new RunRecord { Name = "m", DatasetId = dataset.Id, DatasetSpec = dataset.Spec, ImageSize = dataset.ImageSize, Status = RunStatus.Done });
        var x = Enumerable.Range(0, 40).Select(i => (float)i).ToArray();
        var result = new RunResult(run.Id, x, new float[40], Enumerable.Range(0, 40).Select(i => i % 2).ToArray(), Enumerable.Range(0, 40).ToArray(), ["a", "b"]);
        Database.Artifacts.SaveResult(result);
        var images = dataset.CountOf(Core.Data.DatasetSplit.Train);
        var csv = lesionIds
            ? "image_index,site,age,lesion_id\n" + string.Concat(Enumerable.Range(0, images).Select(i => $"{i},{(i < 10 ? "back" : "face")},{i},HAM_{i:D7}\n"))
            : "image_index,site,age\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{i},{(i < 10 ? "back" : "face")},{i}\n"));
        var metadata = Core.Data.Metadata.MetadataCsv.Parse(System.Text.Encoding.UTF8.GetBytes(csv), "m.csv", new(images));
        metadata.DatasetId = dataset.Id;
        Database.Metadata.Save(metadata);
        return result;
    }

    [Fact]
    public async Task MetadataColoursTheMapByAColumnAndTheFilterGreysTheRest()
    {
        var result = StoreDemoRun();
        var cut = Render<RunMapView>(p => p.Add(v => v.Result, result).Add(v => v.Caller, Caller));
        var controls = cut.FindComponent<MetadataMapControls>();

        await cut.InvokeAsync(() => controls.Instance.Changed.InvokeAsync(new MapMetadataChoice("site", null)));
        var scatter = cut.FindComponent<ClassScatter>().Instance;
        Assert.Equal(["back", "face"], scatter.ClassNames);
        Assert.Equal(10, scatter.Labels.Count(l => l == 0));

        await cut.InvokeAsync(() => controls.Instance.Changed.InvokeAsync(new MapMetadataChoice("age", new MetadataFilter("site", new HashSet<string> { "back" }))));
        scatter = cut.FindComponent<ClassScatter>().Instance;
        Assert.Equal("age", scatter.ColorBarTitle);
        Assert.Equal((0, 39), (scatter.ColorMin, scatter.ColorMax));
        Assert.Equal(Enumerable.Range(0, 10), scatter.Selection!.Order());
        Assert.Contains("10 of 40 points coloured by age", cut.Find("[data-testid=colouring-summary]").TextContent);
    }

    [Fact]
    public async Task AnIdentifierColumnShowsOnHoverAndIsSearchedButIsNotOfferedForColouring()
    {
        var result = StoreDemoRun(lesionIds: true);
        var popovers = Render<MudBlazor.MudPopoverProvider>();
        var cut = Render<RunMapView>(p => p.Add(v => v.Result, result).Add(v => v.Caller, Caller));
        Assert.Equal(Core.Data.Metadata.MetadataColumnKind.Identifier, Database.Metadata.Load(Database.Runs.Get(result.RunId)!.DatasetId)!.Column("lesion_id")!.Kind);

        // Hover: the point's identifier is listed with its other values.
        await cut.InvokeAsync(() => cut.FindComponent<ClassScatter>().Instance.PointHovered.InvokeAsync(17));
        Assert.Contains("lesion_id: HAM_0000017", cut.Find("[data-testid=hover-metadata]").TextContent);

        // "Colour by" offers class and the categorical and number columns; "filter by" offers the identifier too.
        Assert.Equal(["class", "site", "age"], await OptionsOfAsync(cut, popovers, "colour-by"));
        Assert.Equal(["no filter", "site", "age", "lesion_id"], await OptionsOfAsync(cut, popovers, "filter-by"));

        // Filtering by the identifier searches its values: "ham_000001" keeps images 10–19.
        await cut.InvokeAsync(() => Select(cut, "filter-by").Instance.ValueChanged.InvokeAsync("lesion_id"));
        cut.Find("input[data-testid=filter-contains]").Change("ham_000001");
        var scatter = cut.FindComponent<ClassScatter>().Instance;
        Assert.Equal(Enumerable.Range(10, 10), scatter.Selection!.Order());
        Assert.Contains("10 of 40 points coloured by class", cut.Find("[data-testid=colouring-summary]").TextContent);
    }

    private static IRenderedComponent<MudBlazor.MudSelect<string>> Select(IRenderedComponent<RunMapView> cut, string testId) =>
        cut.FindComponents<MudBlazor.MudSelect<string>>().Single(s => s.Instance.UserAttributes.TryGetValue("data-testid", out var id) && id as string == testId);

    /// <summary>The item texts of the select with this test id, read from its open list (closed again after).</summary>
    private static async Task<string[]> OptionsOfAsync(IRenderedComponent<RunMapView> cut, IRenderedComponent<MudBlazor.MudPopoverProvider> popovers, string testId)
    {
        var select = Select(cut, testId);
        await cut.InvokeAsync(() => select.Instance.OpenMenu());
        var items = popovers.FindAll(".mud-popover-open .mud-list-item").Select(i => i.TextContent.Trim()).ToArray();
        await cut.InvokeAsync(() => select.Instance.CloseMenu());
        return items;
    }

    [Fact]
    public async Task ClickingAPointListsItsMapNeighboursRingsThemAndSaysWhyFeatureNeighboursAreMissing()
    {
        var result = StoreDemoRun();
        var cut = Render<RunMapView>(p => p.Add(v => v.Result, result).Add(v => v.Caller, Caller));
        var scatter = cut.FindComponent<ClassScatter>();

        await cut.InvokeAsync(() => scatter.Instance.PointClicked.InvokeAsync(20));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=neighbours-problem]")));
        var thumbnails = cut.FindAll("[data-testid=neighbours-map] img").Select(i => i.GetAttribute("src")).ToArray();
        // On a line the 15 nearest of point 20 are 13…27 without 20 itself, and 28 or 12 (equal distance: the lower index).
        Assert.Equal(15, thumbnails.Length);
        Assert.Equal(new[] { 12 }.Concat(Enumerable.Range(13, 15).Where(i => i != 20)).Order(),
            thumbnails.Select(src => int.Parse(src!.Split('/')[^1].Split('.')[0])).Order());
        Assert.Contains("no saved model", cut.Find("[data-testid=neighbours-problem]").TextContent);
        var marked = cut.FindComponent<ClassScatter>().Instance.Marked!;
        Assert.Equal(["map neighbours", "clicked point"], marked.Select(m => m.Name));
        Assert.Equal(15, marked[0].Points.Count);
    }
}
