using Medvis.Core.Data;
using Medvis.Core.Data.LabelTables;
using Medvis.Core.Data.Metadata;

namespace Medvis.Core.Tests.Data;

/// <summary>A HAM10000-style folder (nested JPEGs plus a CSV) opened with labels from its table.</summary>
public sealed class LabelledImageFolderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ANestedFolderTakesItsClassesGroupsAndMetadataFromTheTable()
    {
        var csv = HamStyleFolder.Write(_temp.Path, images: 30, lesions: 18);
        var spec = DatasetCatalog.WithLabels(_temp.File("images"), LabelTableSpec.Parse(csv + ":dx", groupColumn: "lesion_id"));
        var source = Assert.IsType<ImageFolderDatasetSource>(DatasetCatalog.Open(spec, 8));

        var summary = source.Describe();
        var data = source.Load(DatasetSplit.Train);

        Assert.Equal(HamStyleFolder.Classes, summary.ClassNames);
        Assert.Equal([10, 10, 10], summary.CountsPerSplit[DatasetSplit.Train]);
        Assert.Contains("metadata.csv:dx: 30 images labelled in 3 classes (key column image_id)", summary.Notes!);
        Assert.Contains("images without a row: none", summary.Notes!);
        Assert.Equal(30, data.Count);
        Assert.Equal("lesion_id", data.Groups!.Column);
        Assert.Equal(18, data.Groups.Ids.Distinct().Count());
        // The image at each index is the one the file names say, and its class is its row's dx.
        var names = source.FileNames();
        for (var i = 0; i < data.Count; i++)
        {
            var id = int.Parse(Path.GetFileNameWithoutExtension(names[i])[5..]);
            Assert.Equal(HamStyleFolder.LabelOf(id), data.Labels[i]);
        }

        var metadata = source.TableMetadata()!;
        Assert.Equal(["lesion_id", "dx_type", "age", "sex", "localization"], metadata.Columns.Select(c => c.Name));
        Assert.Equal(30, metadata.ImageCount);
        Assert.Equal(MetadataColumnKind.Continuous, metadata.Column("age")!.Kind);
        // The table also works as an uploaded metadata table for the registered dataset: one rule matches names.
        var uploaded = MetadataCsv.Parse(File.ReadAllBytes(csv), csv, new MetadataKeys(names.Count, names));
        Assert.Equal(metadata.Column("sex")!.Codes, uploaded.Column("sex")!.Codes);
    }

    [Fact]
    public void UnmatchedImagesRowsAndLabelsAreLeftOutAndNamed()
    {
        var csv = HamStyleFolder.Write(_temp.Path, images: 12, lesions: 12);
        File.Delete(_temp.File("images/HAM10000_images_part_1/ISIC_0000000.jpg"));
        var lines = File.ReadAllLines(csv).ToList();
        lines[2] = string.Join(',', lines[2].Split(',').Select((cell, c) => c == 2 ? "" : cell));
        lines.RemoveAt(3);
        File.WriteAllLines(csv, lines);
        var source = new ImageFolderDatasetSource(_temp.File("images"), 8, labels: new LabelTableSpec(csv, "dx"));

        var notes = source.Describe().Notes!;
        var data = source.Load(DatasetSplit.All);

        Assert.Equal(9, data.Count);
        Assert.Null(data.Groups);
        Assert.Contains("images without a row: 1 (HAM10000_images_part_1/ISIC_0000002.jpg), not trained on or mapped", notes);
        Assert.Contains("rows without an image: 1 (ISIC_0000000), ignored", notes);
        Assert.Contains("images with an empty dx: 1 (HAM10000_images_part_2/ISIC_0000001.jpg), not trained on or mapped", notes);
    }

    [Fact]
    public void AMissingTableOrAFileInsteadOfAFolderIsOneLine()
    {
        HamStyleFolder.Write(_temp.Path, images: 3, lesions: 3);

        var missing = Assert.Throws<DatasetFormatException>(() =>
            new ImageFolderDatasetSource(_temp.File("images"), 8, labels: new LabelTableSpec(_temp.File("nope.csv"), "dx")).Describe());
        var notAFolder = Assert.Throws<ArgumentException>(() => DatasetCatalog.WithLabels(_temp.File("metadata.csv"), new LabelTableSpec("x.csv", "dx")));

        Assert.Equal($"{_temp.File("nope.csv")}: file not found", missing.Message);
        Assert.Contains("labels from a table need a folder of images", notAFolder.Message);
    }
}
