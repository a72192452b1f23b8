using Medvis.Core.Data;
using Medvis.Core.Storage;
using Medvis.Web.Auth;
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
        var missing = Folder.File("cells.npz");
        cut.Find("input[data-testid=dataset-path]").Change(missing);

        cut.Find("button[data-testid=register-dataset]").Click();

        cut.WaitForAssertion(() => Assert.Contains($"{missing}: file not found", cut.Find("[data-testid=dataset-error]").TextContent), Patience);
        Assert.Empty(Database.Datasets.All());
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("/no/such/cells.npz")]
    [InlineData("../../../../etc/hostname")]
    public void APathOutsideTheDataRootsGetsOneMessageWhetherOrNotItExists(string path)
    {
        var cut = Render<DatasetsPage>();
        cut.Find("input[data-testid=dataset-path]").Change(path);

        cut.Find("button[data-testid=register-dataset]").Click();

        cut.WaitForAssertion(() => Assert.Equal(DataRoots.OutsideRootsMessage, cut.Find("[data-testid=dataset-error]").TextContent.Trim()), Patience);
        Assert.Empty(Database.Datasets.All());
    }

    [Theory]
    [InlineData(UserRole.Viewer)]
    [InlineData(UserRole.Member)]
    public void OnlyAdminsSeeTheRegistrationForm(UserRole role)
    {
        SignInAs(role);
        Services.GetRequiredService<DatasetService>().Register(Caller.System, DatasetService.DemoSpec);

        var cut = Render<DatasetsPage>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("img.medvis-thumb")), Patience);
        Assert.Empty(cut.FindAll("[data-testid=register-dataset]"));
        Assert.Empty(cut.FindAll("[data-testid=dataset-path]"));
        // Members may upload a dataset into the managed folder; viewers see no upload control.
        Assert.Equal(role >= UserRole.Member, cut.FindAll("[data-testid=dataset-upload]").Count == 1);
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
