using Medvis.Core.Data;
using PureHDF;

namespace Medvis.Core.Tests.Data;

/// <summary>PCam-style HDF5 files written with PureHDF: N×H×W×3 uint8 patches in "x", N×1×1×1 labels in "y".</summary>
public class PatchCamelyonDatasetSourceTests : IDisposable
{
    private const int Side = 6;
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Pixel (n, y, x, c) = n·50 + y·8 + x + c·100 (mod 256): every position tells where it came from.</summary>
    private static byte[] Patches(int count, int offset = 0)
    {
        var bytes = new byte[count * Side * Side * 3];
        for (var n = 0; n < count; n++)
            for (var y = 0; y < Side; y++)
                for (var x = 0; x < Side; x++)
                    for (var c = 0; c < 3; c++)
                        bytes[((n * Side + y) * Side + x) * 3 + c] = (byte)((n + offset) * 50 + y * 8 + x + c * 100);
        return bytes;
    }

    private string WriteSplit(string token, int count, byte[] labels, int offset = 0)
    {
        var images = _temp.File($"camelyonpatch_level_2_split_{token}_x.h5");
        new H5File { ["x"] = new H5Dataset(Patches(count, offset), fileDims: [(ulong)count, Side, Side, 3]) }.Write(images);
        new H5File { ["y"] = new H5Dataset(labels, fileDims: [(ulong)labels.Length, 1, 1, 1]) }.Write(_temp.File($"camelyonpatch_level_2_split_{token}_y.h5"));
        return images;
    }

    [Fact]
    public void PatchesComeOutChannelFirstWithTheirLabels()
    {
        var train = WriteSplit("train", 3, [0, 1, 1]);

        var data = DatasetCatalog.Load(train, DatasetSplit.Train);

        Assert.Equal((3, 3, Side, Side), (data.Count, data.Channels, data.Height, data.Width));
        Assert.Equal([0, 1, 1], data.Labels);
        Assert.Equal(["normal", "tumour"], data.ClassNames);
        // image 2, channel 1, row 4, column 5 = 2·50 + 4·8 + 5 + 100
        Assert.Equal((byte)(100 + 32 + 5 + 100), data.Image(2)[(1 * Side + 4) * Side + 5]);
    }

    [Fact]
    public void SiblingSplitFilesAreFoundByName()
    {
        var train = WriteSplit("train", 3, [0, 1, 1]);
        WriteSplit("valid", 2, [1, 0], offset: 3);
        WriteSplit("test", 1, [0], offset: 5);

        var source = DatasetCatalog.Open(train);
        var summary = source.Describe();
        var all = source.Load(DatasetSplit.All);
        var val = source.Load(DatasetSplit.Val);

        Assert.Equal([1, 2], summary.CountsPerSplit[DatasetSplit.Train]);
        Assert.Equal([1, 1], summary.CountsPerSplit[DatasetSplit.Val]);
        Assert.Equal([1, 0], summary.CountsPerSplit[DatasetSplit.Test]);
        Assert.Equal(6, all.Count);
        Assert.Equal([0, 1, 1, 1, 0, 0], all.Labels);
        Assert.Equal([1, 0], val.Labels);
        Assert.Equal((byte)(3 * 50), val.Image(0)[0]);
    }

    [Fact]
    public void AMissingSplitOrLabelsFileIsNamed()
    {
        var train = WriteSplit("train", 2, [0, 1]);
        var missingSplit = Assert.Throws<DatasetFormatException>(() => DatasetCatalog.Load(train, DatasetSplit.Test));
        Assert.Contains("no test split", missingSplit.Problem);

        File.Delete(_temp.File("camelyonpatch_level_2_split_train_y.h5"));
        var missingLabels = Assert.Throws<DatasetFormatException>(() => DatasetCatalog.Load(train));
        Assert.Contains("labels file", missingLabels.Problem);
        Assert.Contains("not found", missingLabels.Problem);
    }

    [Fact]
    public void LabelCountAndShapeMismatchesAreClearErrors()
    {
        var train = WriteSplit("train", 3, [0, 1]);
        Assert.Contains("2 labels for 3 images", Assert.Throws<DatasetFormatException>(() => DatasetCatalog.Load(train)).Problem);

        var flat = _temp.File("flat.h5");
        new H5File { ["x"] = new H5Dataset(new byte[12], fileDims: [12]), ["y"] = new byte[] { 0 } }.Write(flat);
        Assert.Contains("expected N×H×W or N×H×W×3", Assert.Throws<DatasetFormatException>(() => DatasetCatalog.Load(flat)).Problem);

        var floats = _temp.File("floats.h5");
        new H5File { ["x"] = new H5Dataset(new float[2 * 4], fileDims: [2, 2, 2]), ["y"] = new byte[] { 0, 1 } }.Write(floats);
        Assert.Contains("expected uint8", Assert.Throws<DatasetFormatException>(() => DatasetCatalog.Load(floats)).Problem);
    }

    [Fact]
    public void OneFileWithImagesAndLabelsIsATrainSplit()
    {
        var single = _temp.File("patches.h5");
        new H5File { ["x"] = new H5Dataset(new byte[2 * Side * Side], fileDims: [2, Side, Side]), ["y"] = new byte[] { 1, 0 } }.Write(single);

        var data = DatasetCatalog.Load(single);

        Assert.Equal((2, 1), (data.Count, data.Channels));
        Assert.Equal([1, 0], data.Labels);
    }
}
