using Bunit;
using System.Text;
using Medvis.Core.Storage;
using Medvis.Web.Apis;
using Medvis.Web.Auth;
using Medvis.Web.Datasets;
using Medvis.Web.Results;
using Medvis.Web.Tests.Support;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Medvis.Web.Tests.Components;

/// <summary>A point of a folder dataset's map is traced to its file: hover, the coordinate and selection CSVs name it.</summary>
public sealed class PointFileNamesTests : DatabasePageTestContext
{
    public PointFileNamesTests()
    {
        AddDatasetServices();
        Services.AddSingleton<RunResults>();
        Services.AddSingleton<RunSimilarity>();
    }

    private string ImageFolder()
    {
        var root = Folder.File("photos");
        foreach (var (cls, name, shade) in new[] { ("nevus", "ISIC_0000001.png", 40), ("nevus", "ISIC_0000002.png", 90), ("melanoma", "ISIC_0000003.png", 200) })
        {
            Directory.CreateDirectory(Path.Combine(root, cls));
            using var bitmap = new SKBitmap(12, 12);
            bitmap.Erase(new SKColor((byte)shade, 80, 120));
            using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(root, cls, name), png.ToArray());
        }
        return root;
    }

    private int StoreRun(DatasetRecord dataset, int[] datasetIndices)
    {
        var run = Database.Runs.Add(new RunRecord
        {
            Name = "photos", Status = RunStatus.Done, DatasetId = dataset.Id, DatasetSpec = dataset.Spec, DatasetName = dataset.Name,
            ImageSize = dataset.ImageSize, Split = Core.Data.DatasetSplit.Train,
        });
        var labels = datasetIndices.Select(i => i == 0 ? 0 : 1).ToArray();
        Database.Artifacts.SaveResult(new RunResult(run.Id, [0, 1, 2], [2, 1, 0], labels, datasetIndices, ["melanoma", "nevus"]));
        return run.Id;
    }

    [Fact]
    public void EachPointOfAFolderMapNamesItsFileInTheCoordinateAndSelectionCsvs()
    {
        var dataset = Services.GetRequiredService<DatasetService>().Register(Caller.System, ImageFolder()).Dataset!;
        var runId = StoreRun(dataset, [2, 0, 1]);
        var results = Services.GetRequiredService<RunResults>();

        // Classes are the folders in name order: melanoma (image 0), then nevus (images 1 and 2).
        Assert.Equal(["nevus/ISIC_0000002.png", "melanoma/ISIC_0000003.png", "nevus/ISIC_0000001.png"], results.PointFileNames(runId));

        var csv = Encoding.UTF8.GetString(Assert.IsType<FileContentHttpResult>(MedvisApi.Coordinates(runId, results).Result).FileContents.ToArray());
        var lines = csv.Trim().Split('\n');
        Assert.Equal("index,label,class,x,y,file", lines[0]);
        Assert.EndsWith(",melanoma/ISIC_0000003.png", lines[2]);

        var selection = MedvisApi.SelectionCsv(results.Result(runId)!, [1], results.PointFileNames(runId));
        Assert.Equal("point,dataset_index,label,class,file\n1,0,0,melanoma,melanoma/ISIC_0000003.png\n", selection);
    }

    [Fact]
    public void NeighbourThumbnailsAndQualityCaptionsNameTheFile()
    {
        var dataset = Services.GetRequiredService<DatasetService>().Register(Caller.System, ImageFolder()).Dataset!;
        var runId = StoreRun(dataset, [2, 0, 1]);
        var result = Services.GetRequiredService<RunResults>().Result(runId)!;

        var cut = Render<Medvis.Web.Components.Shared.NeighbourPanel>(p => p.Add(c => c.Result, result).Add(c => c.Point, 0));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=neighbours-map] img").Count), TimeSpan.FromSeconds(10));
        var titles = cut.FindAll("[data-testid=neighbours-map] img").Select(i => i.GetAttribute("title")!).ToArray();
        Assert.StartsWith("point 1 · melanoma · melanoma/ISIC_0000003.png · distance", titles[0]);
        Assert.StartsWith("point 2 · nevus · nevus/ISIC_0000001.png · distance", titles[1]);

        var item = new Core.Quality.QualityItem(1, 0, 0, 0.9, "nearest image at 0.1× the typical distance");
        Assert.Equal("image 0 (melanoma/ISIC_0000003.png), score 0.900: nearest image at 0.1× the typical distance",
            Medvis.Web.Components.Shared.QualityPanel.Caption(item, Services.GetRequiredService<RunResults>().PointFileNames(runId)));
        Assert.Equal("image 0, score 0.900: nearest image at 0.1× the typical distance", Medvis.Web.Components.Shared.QualityPanel.Caption(item, null));
    }

    [Fact]
    public void MapsOfOtherDatasetsHaveNoFileColumn()
    {
        var demo = Services.GetRequiredService<DatasetService>().Register(Caller.System, "demo").Dataset!;
        var runId = StoreRun(demo, [0, 1, 2]);
        var results = Services.GetRequiredService<RunResults>();
        Assert.Null(results.PointFileNames(runId));
        var csv = Encoding.UTF8.GetString(Assert.IsType<FileContentHttpResult>(MedvisApi.Coordinates(runId, results).Result).FileContents.ToArray());
        Assert.StartsWith("index,label,class,x,y\n", csv);
    }
}
