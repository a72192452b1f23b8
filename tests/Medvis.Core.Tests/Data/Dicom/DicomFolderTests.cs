using System.Text;
using Medvis.Core.Data;
using Medvis.Core.Data.Metadata;

namespace Medvis.Core.Tests.Data.Dicom;

/// <summary>Folders of generated DICOM files: class folders, a label table, the tags as metadata, bad files.</summary>
public sealed class DicomFolderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static byte[] ChestFile(byte level, string modality = "DX", string view = "PA", string sex = "F", string age = "045Y",
        string syntax = DicomWriter.ExplicitLittle) => DicomChestFolder.File(level, modality, view, sex, age, syntax);

    private void Write(string name, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_temp.File(name))!);
        File.WriteAllBytes(_temp.File(name), bytes);
    }

    private void WriteChestFolder()
    {
        Write("ap/a.dcm", ChestFile(40, view: "AP", sex: "M", age: "070Y"));
        Write("ap/IM0001", ChestFile(60, view: "AP", syntax: DicomWriter.ImplicitLittle));
        Write("pa/1.2.840.113619.2.55", ChestFile(200, modality: "CR", syntax: DicomWriter.DeflatedLittle));
        Write("pa/b.DCM", ChestFile(220, age: "006M"));
        Write("pa/notes.txt", Encoding.ASCII.GetBytes("not an image"));
        Write("pa/README", Encoding.ASCII.GetBytes(new string('x', 400)));
    }

    [Fact]
    public void DicomFilesWithOrWithoutAnExtensionLoadLikeImagesOfClassFolders()
    {
        WriteChestFolder();

        var source = new ImageFolderDatasetSource(_temp.Path, imageSize: 4);
        var data = source.Load(DatasetSplit.All);

        Assert.Equal(["ap", "pa"], data.ClassNames);
        Assert.Equal([0, 0, 1, 1], data.Labels);
        Assert.Equal(["ap/IM0001", "ap/a.dcm", "pa/1.2.840.113619.2.55", "pa/b.DCM"], source.FileNames());
        Assert.Equal(1, data.Channels);
        Assert.Equal([60, 40, 200, 220], Enumerable.Range(0, 4).Select(i => (int)data.Image(i)[0]));
    }

    [Fact]
    public void SelectedTagsBecomeMetadataAndPatientNamesAndIdsNeverDo()
    {
        WriteChestFolder();
        var source = new ImageFolderDatasetSource(_temp.Path, imageSize: 4);

        var metadata = source.Metadata()!;

        Assert.Equal(["Modality", "BodyPartExamined", "ViewPosition", "PatientSex", "PatientAge", "Manufacturer", "StudyYear"],
            metadata.Columns.Select(c => c.Name));
        Assert.Equal(("file name", 4, 4), (metadata.KeyKind, metadata.ImageCount, metadata.RowCount));
        Assert.Equal(["DX", "DX", "CR", "DX"], Enumerable.Range(0, 4).Select(i => metadata.Column("Modality")!.Text(i)));
        Assert.Equal(["AP", "AP", "PA", "PA"], Enumerable.Range(0, 4).Select(i => metadata.Column("ViewPosition")!.Text(i)));
        var age = metadata.Column("PatientAge")!;
        Assert.Equal(MetadataColumnKind.Continuous, age.Kind);
        Assert.Equal([45, 70, 45, 0.5], age.Values);
        Assert.Equal("2019", metadata.Column("StudyYear")!.Text(3));

        var stored = Encoding.UTF8.GetString(metadata.ToBytes());
        var described = string.Join("\n", source.Describe().Notes ?? []) + string.Join("\n", source.FileNames());
        foreach (var identifying in new[] { "Doe", "Jane", DicomChestFolder.PatientId, "PatientName", "PatientID" })
        {
            Assert.DoesNotContain(identifying, stored, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(identifying, described, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void EveryEncodingOfTheGeneratedChestFolderLoads()
    {
        DicomChestFolder.Write(_temp.Path, perClass: 7);

        var data = new ImageFolderDatasetSource(_temp.Path, imageSize: 16).Load(DatasetSplit.All);

        Assert.Equal((14, 1), (data.Count, data.Channels));
        // Each file's class shows through whatever its encoding: bright centre (normal) or bright bottom (effusion).
        for (var i = 0; i < data.Count; i++)
        {
            var image = data.Image(i);
            var centre = image[8 * 16 + 8];
            var bottom = image[14 * 16 + 8];
            Assert.True(data.Labels[i] == 1 ? centre > bottom : bottom > centre, $"image {i}: centre {centre}, bottom {bottom}");
        }
    }

    [Fact]
    public void AZipOfDicomClassFoldersUnpacksToADatasetFolder()
    {
        var zip = _temp.File("cxr.zip");
        using (var archive = new System.IO.Compression.ZipArchive(File.Create(zip), System.IO.Compression.ZipArchiveMode.Create))
            foreach (var (name, level) in new[] { ("ap/a.dcm", (byte)40), ("pa/b.dcm", (byte)200) })
            {
                using var entry = archive.CreateEntry(name).Open();
                entry.Write(ChestFile(level));
            }

        var written = ZipDatasetExtractor.Extract(zip, _temp.File("unpacked"), "cxr.zip", InputLimits.Default);

        Assert.Equal(2, written);
        Assert.Equal([0, 1], new ImageFolderDatasetSource(_temp.File("unpacked"), 4).Load(DatasetSplit.All).Labels);
    }

    [Fact]
    public void UploadedDicomFilesDecodeThroughTheirOwnWindow()
    {
        var uploads = ImageEncoding.DecodeImages([("a.dcm", ChestFile(100)), ("b", ChestFile(30, syntax: DicomWriter.ImplicitLittle))], 4);

        Assert.Equal([100, 30], new[] { uploads.Image(0)[0], uploads.Image(1)[0] });
    }

    [Fact]
    public void TagsBehindAHeaderLongerThanTheProbeAreStillRead()
    {
        Write("a/long.dcm", new DicomWriter().Image(2, 2, 8, 8).Text(DicomWriter.Modality, "CS", "MG")
            .Text(0x0040_A160, "UT", new string('x', 200_000)).Text(DicomWriter.PatientSex, "CS", "F").NativePixels([1, 2, 3, 4]).Build());

        var metadata = new ImageFolderDatasetSource(_temp.Path).Metadata()!;

        Assert.Equal(("MG", "F"), (metadata.Column("Modality")!.Text(0), metadata.Column("PatientSex")!.Text(0)));
    }

    [Fact]
    public void FoldersWithoutDicomFilesHaveNoTagMetadata()
    {
        ImageFolderDatasetSourceTests.WriteImage(_temp.File("a/x.png"), 8, 8, SkiaSharp.SKColors.Red);

        Assert.Null(new ImageFolderDatasetSource(_temp.Path).Metadata());
    }

    [Fact]
    public void ALabelTableKeyedByFileNameLabelsAFlatDicomFolderAndItsColumnsJoinTheTags()
    {
        Write("flat/x1.dcm", ChestFile(10));
        Write("flat/x2.dcm", ChestFile(20));
        Write("flat/x3", ChestFile(30));
        Write("labels.csv", Encoding.ASCII.GetBytes("file,finding,site\nx1.dcm,normal,north\nx2.dcm,effusion,south\nx3,normal,north\n"));
        var spec = DatasetCatalog.WithLabels(_temp.File("flat"), new Core.Data.LabelTables.LabelTableSpec(_temp.File("labels.csv"), "finding"));

        var source = (ImageFolderDatasetSource)DatasetCatalog.Open(spec, 4);
        var data = source.Load(DatasetSplit.Train);
        var metadata = source.Metadata()!;

        Assert.Equal(["effusion", "normal"], data.ClassNames);
        Assert.Equal([0, 1, 1], data.Labels);
        Assert.Equal(["site", "Modality", "BodyPartExamined", "ViewPosition", "PatientSex", "PatientAge", "Manufacturer", "StudyYear"],
            metadata.Columns.Select(c => c.Name));
        Assert.Equal("south", metadata.Column("site")!.Text(0));
        Assert.Equal("DX", metadata.Column("Modality")!.Text(0));
    }

    [Fact]
    public void AWindowInTheSpecAppliesToEveryFileOfTheFolder()
    {
        Write("a/low.dcm", ChestFile(100));
        var withWindow = DatasetCatalog.Open(_temp.Path + "|window=100,1", 4).Load(DatasetSplit.All);
        var ownWindow = DatasetCatalog.Open(_temp.Path, 4).Load(DatasetSplit.All);

        Assert.Equal(100, ownWindow.Image(0)[0]);
        // Width 1: everything above 99.5 is white.
        Assert.Equal(255, withWindow.Image(0)[0]);
        var bad = Assert.Throws<DatasetFormatException>(() => DatasetCatalog.Open(_temp.Path + "|window=40", 4));
        Assert.Contains("a DICOM window is \"file\", \"minmax\" or \"centre,width\"", bad.Message);
        Assert.Contains("applies to a folder", Assert.Throws<DatasetFormatException>(() => DatasetCatalog.Open("demo|window=minmax")).Message);
    }

    [Fact]
    public void SomeBadFilesInAFolderAreReportedInOneLineAndCanBeSkipped()
    {
        Write("a/1-good.dcm", ChestFile(10));
        Write("a/2-cut.dcm", ChestFile(10)[..200]);
        Write("a/3-good.dcm", ChestFile(20));
        Write("a/4-jpeg2000.dcm", new DicomWriter { TransferSyntax = DicomWriter.Jpeg2000 }.Image(2, 2, 8, 8).Fragments([[1, 2]]).Build());
        Write("a/5-huge.dcm", new DicomWriter().Image(65535, 65535, 16, 16).NativePixels([0, 0]).Build());

        var error = Assert.Throws<DatasetFormatException>(() => new ImageFolderDatasetSource(_temp.Path).Load(DatasetSplit.All));

        Assert.Equal(_temp.File("a/2-cut.dcm"), error.Path);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("cannot decode image", error.Message);
        Assert.EndsWith("(and 2 more files that cannot be read: a/4-jpeg2000.dcm, a/5-huge.dcm)", error.Message);
        var lenient = new ImageFolderDatasetSource(_temp.Path, skipUndecodable: true);
        Assert.Equal(2, lenient.Load(DatasetSplit.All).Count);
        Assert.Equal(3, lenient.SkippedFiles.Count);
    }
}
