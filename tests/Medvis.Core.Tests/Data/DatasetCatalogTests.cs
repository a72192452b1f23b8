using Medvis.Core.Data;

namespace Medvis.Core.Tests.Data;

public class DatasetCatalogTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("demo", 28, false)]
    [InlineData("DEMO:64", 64, false)]
    [InlineData("demo-qc", 28, true)]
    public void DemoSpecsOpenTheSyntheticSet(string spec, int size, bool qualityControl)
    {
        var source = Assert.IsType<SyntheticMicroscopyDataset>(DatasetCatalog.Open(spec));
        Assert.Equal(size, source.Options.ImageSize);
        Assert.Equal(qualityControl, source.Options.DuplicateCopies > 0);
    }

    [Fact]
    public void FilesAndFoldersOpenByKind()
    {
        var npz = _temp.File("x.npz");
        new NpzBuilder().AddUInt8("train_images", new byte[8], [2, 2, 2]).AddUInt8("train_labels", [0, 1], [2]).Write(npz);
        Directory.CreateDirectory(_temp.File("folder/a"));

        Assert.IsType<NpzDatasetSource>(DatasetCatalog.Open(npz));
        Assert.IsType<ImageFolderDatasetSource>(DatasetCatalog.Open(_temp.File("folder"), 32));
        Assert.Equal(2, DatasetCatalog.Load(npz, DatasetSplit.Train).Count);
    }

    [Theory]
    [InlineData("missing.npz", "file not found")]
    [InlineData("nothing-here", "no such file or folder")]
    [InlineData("demo:abc", "number of pixels")]
    [InlineData("demo:2", "between 8 and 256")]
    public void BadSpecsAreClearErrors(string spec, string expected)
    {
        var path = spec.StartsWith("demo") ? spec : _temp.File(spec);
        var error = Assert.Throws<DatasetFormatException>(() => DatasetCatalog.Open(path));
        Assert.Contains(expected, error.Problem);
    }

    [Fact]
    public void UnsupportedFileTypesAreNamed()
    {
        File.WriteAllText(_temp.File("data.csv"), "a,b");
        File.WriteAllText(_temp.File("pcam.h5"), "");
        Assert.Contains("unsupported dataset file type '.csv'", Assert.Throws<DatasetFormatException>(() => DatasetCatalog.Open(_temp.File("data.csv"))).Problem);
        Assert.IsType<PatchCamelyonDatasetSource>(DatasetCatalog.Open(_temp.File("pcam.h5")));
        Assert.Contains("not a readable HDF5 file", Assert.Throws<DatasetFormatException>(() => DatasetCatalog.Load(_temp.File("pcam.h5"))).Problem);
    }

    [Theory]
    [InlineData("train", DatasetSplit.Train)]
    [InlineData("Validation", DatasetSplit.Val)]
    [InlineData("all", DatasetSplit.All)]
    public void SplitsParse(string text, DatasetSplit expected) => Assert.Equal(expected, DatasetCatalog.ParseSplit(text));

    [Fact]
    public void UnknownSplitIsRejected() => Assert.Throws<ArgumentException>(() => DatasetCatalog.ParseSplit("training"));
}
