using Bunit;
using Medvis.Web.Components.Pages;
using DatasetsPage = Medvis.Web.Components.Pages.Datasets;
using Medvis.Web.Datasets;
using Medvis.Web.Extensions;
using Medvis.Web.Results;
using Medvis.Web.Training;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Components;

/// <summary>The datasets page with the real catalog and database.</summary>
public sealed class DatasetsPageTests : DatabasePageTestContext
{
    public DatasetsPageTests()
    {
        AddDatasetServices();
        RenderPopoverProvider();
    }

    [Fact]
    public void ABadPathShowsOneClearMessageAndRegistersNothing()
    {
        var cut = Render<DatasetsPage>();
        cut.Find("input[data-testid=dataset-path]").Change("/no/such/cells.npz");

        cut.Find("button[data-testid=register-dataset]").Click();

        cut.WaitForAssertion(() => Assert.Contains("/no/such/cells.npz: file not found", cut.Find("[data-testid=dataset-error]").TextContent), Patience);
        Assert.Empty(Database.Datasets.All());
    }

    [Fact]
    public void TheDemoShowsItsClassesCountsAndSampleImages()
    {
        var demo = Services.GetRequiredService<DatasetService>().Register(Caller, DatasetService.DemoSpec).Dataset!;

        var cut = Render<DatasetsPage>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("img.medvis-thumb")), Patience);
        var details = cut.Find("[data-testid=dataset-details]").TextContent;
        Assert.All(demo.ClassNames, name => Assert.Contains(name, details));
        Assert.Contains($"{demo.Width}×{demo.Height} px", details);
        Assert.Contains(demo.CountOf(Core.Data.DatasetSplit.Train).ToString(), details);
        Assert.All(cut.FindAll("img.medvis-thumb"), img => Assert.StartsWith($"api/datasets/{demo.Id}/images/", img.GetAttribute("src")));
    }
}
