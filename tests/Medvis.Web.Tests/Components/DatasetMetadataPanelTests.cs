using Bunit;
using Medvis.Core.Data.Metadata;
using Medvis.Core.Storage;
using Medvis.Web.Auth;
using Medvis.Web.Components.Shared;
using Medvis.Web.Datasets;
using Medvis.Web.Tests.Support;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Medvis.Web.Tests.Components;

/// <summary>The Datasets page's metadata panel: uploading a table through its file input and what it then shows.</summary>
public sealed class DatasetMetadataPanelTests : DatabasePageTestContext
{
    /// <summary>HAM10000's seven diagnoses, its class folders and the <c>dx</c> of its metadata table.</summary>
    private static readonly string[] Diagnoses = ["akiec", "bcc", "bkl", "df", "mel", "nv", "vasc"];

    public DatasetMetadataPanelTests() => AddDatasetServices();

    [Fact]
    public void AHamTableWithThousandsOfLesionIdsAttachesAndSaysTheyAreKeptAsAnIdentifier()
    {
        // A folder dataset laid out as HAM10000: dx/ISIC_0024306.png …, and its metadata table with 7,000 lesion ids.
        const int images = 7500;
        var labels = Enumerable.Range(0, images).Select(i => i % Diagnoses.Length).ToArray();
        var ids = Enumerable.Range(0, images).Select(i => $"ISIC_{24306 + i:D7}").ToArray();
        var dataset = RegisterFolder(ids.Select((id, i) => $"{Diagnoses[labels[i]]}/{id}.png").ToArray());
        var csv = SyntheticMetadata.HamTableCsv(ids, labels, Diagnoses, lesions: 7000, seed: 1);
        var cut = Render<DatasetMetadataPanel>(p => p.Add(c => c.Dataset, dataset));
        Assert.NotNull(cut.Find("[data-testid=metadata-none]"));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(csv, "HAM10000_metadata.csv"));

        cut.WaitForAssertion(() => Assert.Contains("7500 of 7500 images described", cut.Find("[data-testid=metadata-summary]").TextContent), Patience);
        Assert.Empty(cut.FindAll("[data-testid=metadata-error]"));
        var kinds = cut.FindAll("[data-testid=metadata-columns] tbody tr")
            .ToDictionary(row => row.Children[0].TextContent, row => row.Children[1].TextContent);
        Assert.Equal("identifiers", kinds["lesion_id"]);
        Assert.Equal(("categories", "numbers"), (kinds["dx"], kinds["age"]));
        Assert.Equal("lesion_id: 7,000 distinct values, kept as an identifier (shown on hover, not used for colouring)",
            Assert.Single(cut.FindAll("[data-testid=metadata-note]")).TextContent.Trim());

        var lesions = Database.Metadata.Load(dataset.Id)!.Column("lesion_id")!;
        Assert.Equal(MetadataColumnKind.Identifier, lesions.Kind);
        Assert.Equal(7000, lesions.DistinctCount());
        // Image 0 is akiec/ISIC_0024306.png (folders and files in name order), the first row's image, of lesion 0.
        Assert.StartsWith("HAM_0000000,ISIC_0024306,akiec,", csv.Split('\n')[1]);
        Assert.Equal("HAM_0000000", lesions.Text(0));
    }

    /// <summary>
    /// Registers a folder dataset holding one small PNG at each of <paramref name="paths"/> ("class/name.png"); the
    /// files are copies of one image, as only the first is decoded here.
    /// </summary>
    private DatasetRecord RegisterFolder(IReadOnlyList<string> paths)
    {
        using var bitmap = new SKBitmap(8, 8);
        bitmap.Erase(SKColors.SaddleBrown);
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var bytes = png.ToArray();
        var root = Folder.File("ham");
        foreach (var path in paths)
        {
            var file = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, bytes);
        }
        var registered = Services.GetRequiredService<DatasetService>().Register(Caller.System, root);
        return registered.Dataset ?? throw new InvalidOperationException(registered.Error);
    }
}
