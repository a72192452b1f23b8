using Bunit;
using Medvis.Core.Data;
using Medvis.Core.Data.Metadata;
using Medvis.Core.Tests.Data;
using Medvis.Web.Datasets;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using DatasetsPage = Medvis.Web.Components.Pages.Datasets;

namespace Medvis.Web.Tests.Components;

/// <summary>The registration form's label-table step on a generated HAM10000-style folder and CSV.</summary>
public sealed class LabelTableRegistrationTests : DatabasePageTestContext
{
    public LabelTableRegistrationTests()
    {
        AddDatasetServices();
        RenderPopoverProvider();
    }

    /// <summary>24 images in 16 lesions, one row naming no image.</summary>
    private string WriteFolder()
    {
        var csv = HamStyleFolder.Write(Folder.Path, images: 24, lesions: 16);
        File.AppendAllText(csv, "HAM_9999999,ISIC_9999999,nv,histo,40,male,back\n");
        return csv;
    }

    [Fact]
    public void PickingKeyLabelAndGroupColumnsRegistersTheFolderWithItsMetadataAndShowsTheSummary()
    {
        var csv = WriteFolder();
        var cut = Render<DatasetsPage>();
        cut.Find("input[data-testid=dataset-path]").Change(Folder.File("images"));
        cut.Find("input[data-testid=label-table-path]").Change(csv);

        cut.Find("button[data-testid=label-table-read]").Click();
        cut.WaitForAssertion(() => Assert.Equal(7, cut.FindAll("select[data-testid=label-column] option").Count - 1), Patience);
        Assert.Equal("image_id", cut.Find("select[data-testid=label-key]").GetAttribute("value"));
        cut.Find("select[data-testid=label-column]").Change("dx");
        cut.Find("select[data-testid=label-group]").Change("lesion_id");
        cut.Find("button[data-testid=register-dataset]").Click();

        cut.WaitForAssertion(() => Assert.Contains("rows without an image: 1 (ISIC_9999999), ignored", cut.Find("[data-testid=label-table-summary]").TextContent), Patience);
        var summary = cut.Find("[data-testid=label-table-summary]").TextContent;
        Assert.Contains("metadata.csv:dx: 24 images labelled in 3 classes (key column image_id)", summary);
        Assert.Contains("images without a row: none", summary);
        Assert.Contains("grouped by lesion_id: 16 groups", summary);
        var dataset = Assert.Single(Database.Datasets.All());
        Assert.Equal(HamStyleFolder.Classes, dataset.ClassNames);
        Assert.EndsWith("/images", dataset.Name);
        Assert.EndsWith("|label=dx|key=image_id|group=lesion_id", dataset.Spec);
        var metadata = Services.GetRequiredService<DatasetMetadataService>().Get(dataset.Id)!;
        Assert.Equal(["lesion_id", "dx_type", "age", "sex", "localization"], metadata.Columns.Select(c => c.Name));
        Assert.Equal(MetadataColumnKind.Categorical, metadata.Column("sex")!.Kind);
        Assert.Equal(24, metadata.RowCount);
        // The dataset's details read the match again.
        cut.WaitForAssertion(() => Assert.Contains("rows without an image: 1 (ISIC_9999999), ignored", cut.Find("[data-testid=dataset-label-notes]").TextContent), Patience);
        // The group reaches the images the runs train on.
        Assert.Equal("lesion_id", Services.GetRequiredService<DatasetService>().Load(dataset, DatasetSplit.Train).Groups!.Column);
    }

    [Fact]
    public void WithoutALabelColumnOrWithABadTableNothingIsRegistered()
    {
        var csv = WriteFolder();
        var cut = Render<DatasetsPage>();
        cut.Find("input[data-testid=dataset-path]").Change(Folder.File("images"));
        cut.Find("input[data-testid=label-table-path]").Change(csv);
        cut.Find("button[data-testid=label-table-read]").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("select[data-testid=label-column]")), Patience);

        cut.Find("button[data-testid=register-dataset]").Click();
        cut.WaitForAssertion(() => Assert.Contains("Pick the label column", cut.Find("[data-testid=dataset-error]").TextContent), Patience);

        cut.Find("select[data-testid=label-column]").Change("sex");
        cut.Find("select[data-testid=label-group]").Change("sex");
        cut.Find("button[data-testid=register-dataset]").Click();
        cut.WaitForAssertion(() => Assert.Contains("the label and group columns must differ", cut.Find("[data-testid=dataset-error]").TextContent), Patience);

        cut.Find("input[data-testid=label-table-path]").Change("/etc/passwd");
        cut.Find("button[data-testid=label-table-read]").Click();
        cut.WaitForAssertion(() => Assert.Equal(DataRoots.OutsideRootsMessage, cut.Find("[data-testid=dataset-error]").TextContent.Trim()), Patience);
        Assert.Empty(Database.Datasets.All());
    }
}
