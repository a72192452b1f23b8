using Bunit;
using Medvis.Core.Data;
using Medvis.Core.Tests.Data.Dicom;
using Medvis.Web.Auth;
using Medvis.Web.Datasets;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using DatasetsPage = Medvis.Web.Components.Pages.Datasets;

namespace Medvis.Web.Tests.Components;

/// <summary>Registering a folder of generated DICOM files through the Datasets page: its tags become metadata in the same step.</summary>
public sealed class DicomRegistrationTests : DatabasePageTestContext
{
    public DicomRegistrationTests()
    {
        AddDatasetServices();
        RenderPopoverProvider();
    }

    [Fact]
    public void ADicomFolderRegistersWithItsTagsAsMetadataAndNoPatientNameOrIdIsStoredOrShown()
    {
        DicomChestFolder.Write(Folder.File("cxr"), perClass: 6);
        var cut = Render<DatasetsPage>();
        cut.Find("input[data-testid=dataset-path]").Change(Folder.File("cxr"));

        cut.Find("button[data-testid=register-dataset]").Click();

        cut.WaitForAssertion(() => Assert.Single(Database.Datasets.All()), Patience);
        var dataset = Database.Datasets.All()[0];
        Assert.Equal(["effusion", "normal"], dataset.ClassNames);
        var metadata = Services.GetRequiredService<DatasetMetadataService>().Get(dataset.Id)!;
        Assert.Equal(["Modality", "BodyPartExamined", "ViewPosition", "PatientSex", "PatientAge", "Manufacturer", "StudyYear"],
            metadata.Columns.Select(c => c.Name));
        Assert.Equal(12, metadata.RowCount);
        var stored = System.Text.Encoding.UTF8.GetString(Database.Metadata.Load(dataset.Id)!.ToBytes());
        cut.WaitForAssertion(() => Assert.Contains("cxr", cut.Markup), Patience);
        foreach (var identifying in new[] { "Doe", "Jane", DicomChestFolder.PatientId })
        {
            Assert.DoesNotContain(identifying, stored);
            Assert.DoesNotContain(identifying, cut.Markup);
        }
    }

    [Fact]
    public void AWindowAfterThePathIsKeptWithTheCanonicalPathAndABadOneIsOneLine()
    {
        DicomChestFolder.Write(Folder.File("cxr"), perClass: 2);
        var datasets = Services.GetRequiredService<DatasetService>();

        var windowed = datasets.Register(Caller.System, Folder.File("cxr") + "/./|window=40,400", 16);
        var bad = datasets.Register(Caller.System, Folder.File("cxr") + "|window=wide", 16);
        var outside = datasets.Register(Caller.System, "/etc|window=minmax", 16);

        Assert.True(windowed.Succeeded, windowed.Error);
        Assert.Equal(Folder.File("cxr") + "|window=40,400", windowed.Dataset!.Spec);
        Assert.Equal("cxr", windowed.Dataset.Name);
        Assert.Contains("a DICOM window is \"file\", \"minmax\" or \"centre,width\" (e.g. 40,400), not \"wide\"", bad.Error);
        Assert.Equal(DataRoots.OutsideRootsMessage, outside.Error);
    }

    [Fact]
    public void AttachingAFolderAgainKeepsATableAMemberAttached()
    {
        DicomChestFolder.Write(Folder.File("cxr"), perClass: 2);
        var dataset = Services.GetRequiredService<DatasetService>().Register(Caller.System, Folder.File("cxr")).Dataset!;
        var metadata = Services.GetRequiredService<DatasetMetadataService>();
        Assert.Null(metadata.Attach(Caller.System, dataset.Id, "site.csv", "index,site\n0,north\n1,south\n2,north\n3,east\n"u8.ToArray()).Error);

        var again = metadata.AttachFolderMetadata(Caller.System, dataset.Id);

        Assert.Equal((null, null), (again.Metadata, again.Error));
        Assert.Equal(["site"], metadata.Get(dataset.Id)!.Columns.Select(c => c.Name));
    }
}
