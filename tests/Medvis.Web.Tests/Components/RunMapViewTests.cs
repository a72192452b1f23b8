using Bunit;
using Medvis.Core.Storage;
using Medvis.Web.Components.Shared;
using Medvis.Web.Results;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Components;

/// <summary>The finished map's selection preview.</summary>
public sealed class RunMapViewTests : DatabasePageTestContext
{
    public RunMapViewTests()
    {
        AddDatasetServices();
        Services.AddSingleton<RunResults>();
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
        await cut.InvokeAsync(() => scatter.Instance.PointsSelected.InvokeAsync(Enumerable.Range(0, 2003).ToArray()));

        var shown = cut.FindAll("[data-testid=selection-grid] img");
        Assert.Equal(200, shown.Count);
        Assert.Equal(4, shown.Count(img => img.GetAttribute("title") == FinishedMaps.ClassNames[0]));
        Assert.Contains("Showing 200 of 2,003 selected images: a random sample stratified by class", cut.Find("[data-testid=selection-how]").TextContent);
    }
}
