using System.Diagnostics;
using Medvis.Core.Data;
using Medvis.Core.Data.Npy;

namespace Medvis.Core.Tests.Data;

public class NpzDatasetSourceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Pixel value encodes image, row, column and channel so layout mistakes show.</summary>
    private static byte Pixel(int n, int y, int x, int c) => (byte)(n * 50 + y * 10 + x * 3 + c);

    private static byte[] InterleavedRgb(int count, int h, int w)
    {
        var data = new byte[count * h * w * 3];
        var i = 0;
        for (var n = 0; n < count; n++)
            for (var y = 0; y < h; y++)
                for (var x = 0; x < w; x++)
                    for (var c = 0; c < 3; c++)
                        data[i++] = Pixel(n, y, x, c);
        return data;
    }

    private string WriteStandard(string fileName, int version = 1, bool labelsAsColumn = true, string imageDescr = "|u1")
    {
        var builder = new NpzBuilder();
        foreach (var (split, count) in new[] { ("train", 3), ("val", 1), ("test", 2) })
        {
            builder.AddUInt8($"{split}_images", InterleavedRgb(count, 2, 4), [count, 2, 4, 3], version, imageDescr);
            var labels = Enumerable.Range(0, count).Select(i => (byte)(i % 3)).ToArray();
            builder.AddUInt8($"{split}_labels", labels, labelsAsColumn ? [count, 1] : [count], version);
        }
        var path = _temp.File(fileName);
        builder.Write(path);
        return path;
    }

    [Theory]
    [InlineData(1, "|u1", true)]
    [InlineData(2, "<u1", false)]
    [InlineData(3, "|u1", false)]
    public void RgbImagesComeOutChannelsFirstForEveryHeaderVariant(int version, string descr, bool labelsAsColumn)
    {
        var source = new NpzDatasetSource(WriteStandard("tiny.npz", version, labelsAsColumn, descr));

        var train = source.Load(DatasetSplit.Train);

        Assert.Equal((3, 3, 2, 4), (train.Count, train.Channels, train.Height, train.Width));
        Assert.Equal([0, 1, 2], train.Labels);
        for (var n = 0; n < 3; n++)
            for (var c = 0; c < 3; c++)
                for (var y = 0; y < 2; y++)
                    for (var x = 0; x < 4; x++)
                        Assert.Equal(Pixel(n, y, x, c), train.Image(n)[c * 8 + y * 4 + x]);
    }

    [Fact]
    public void GreyImagesKeepTheirLayoutAndInt64LabelsAreRead()
    {
        var pixels = Enumerable.Range(0, 2 * 3 * 3).Select(i => (byte)i).ToArray();
        var path = _temp.File("grey.npz");
        new NpzBuilder()
            .AddUInt8("train_images", pixels, [2, 3, 3])
            .AddInt64("train_labels", [4, 1], [2, 1])
            .Write(path);

        var data = new NpzDatasetSource(path).Load(DatasetSplit.Train);

        Assert.Equal(1, data.Channels);
        Assert.Equal(pixels, data.Pixels);
        Assert.Equal([4, 1], data.Labels);
        Assert.Equal(["class 0", "class 1", "class 2", "class 3", "class 4"], data.ClassNames);
    }

    [Fact]
    public void AllConcatenatesTrainValTestAndDescribeCountsPerClass()
    {
        var source = new NpzDatasetSource(WriteStandard("tiny.npz"));

        var all = source.Load(DatasetSplit.All);
        var summary = source.Describe();

        Assert.Equal(6, all.Count);
        Assert.Equal([0, 1, 2, 0, 0, 1], all.Labels);
        Assert.Equal(source.Load(DatasetSplit.Val).Pixels, all.Pixels.AsSpan(3 * 24, 24).ToArray());
        Assert.Equal((3, 2, 4), (summary.Channels, summary.Height, summary.Width));
        Assert.Equal([1, 1, 1], summary.CountsPerSplit[DatasetSplit.Train]);
        Assert.Equal([1, 0, 0], summary.CountsPerSplit[DatasetSplit.Val]);
        Assert.Equal([1, 1, 0], summary.CountsPerSplit[DatasetSplit.Test]);
    }

    [Fact]
    public void KnownMedMnistNamesAreFoundFromTheFileName()
    {
        Assert.Equal("basophil", new NpzDatasetSource(WriteStandard("bloodmnist_64.npz")).Describe().ClassNames[0]);
        Assert.Equal("malignant", MedMnistClassNames.ForFile("/x/breastmnist.npz")![0]);
        Assert.Equal("platelet", MedMnistClassNames.ForFile("pbc-bloodcells-28.npz")![7]);
        Assert.Null(MedMnistClassNames.ForFile("mystery.npz"));
    }

    [Fact]
    public void HeaderParserReadsNumpyDictionaries()
    {
        var header = NpyHeader.Parse("{'descr': '<i8', 'fortran_order': False, 'shape': (546, 1), }");
        Assert.Equal(("<i8", false, 'i', 8), (header.Descr, header.FortranOrder, header.Kind, header.ElementSize));
        Assert.Equal([546L, 1L], header.Shape);
        Assert.Equal([7L], NpyHeader.Parse("{'descr': '|u1', 'fortran_order': False, 'shape': (7,), }").Shape);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        var path = _temp.File("absent.npz");
        var error = Assert.Throws<DatasetFormatException>(() => new NpzDatasetSource(path).Describe());
        Assert.Equal(path, error.Path);
        Assert.Contains("not found", error.Problem);
    }

    [Fact]
    public void NotAZipIsNamed()
    {
        var path = _temp.File("text.npz");
        File.WriteAllText(path, "hello, I am not a zip");
        var error = Assert.Throws<DatasetFormatException>(() => new NpzDatasetSource(path).Load(DatasetSplit.Train));
        Assert.Contains("not a zip", error.Problem);
    }

    [Fact]
    public void MissingLabelsMemberIsNamed()
    {
        var path = _temp.File("nolabels.npz");
        new NpzBuilder().AddUInt8("train_images", new byte[8], [2, 2, 2]).Write(path);
        var error = Assert.Throws<DatasetFormatException>(() => new NpzDatasetSource(path).Load(DatasetSplit.Train));
        Assert.Contains("missing member train_labels.npy", error.Problem);
    }

    [Fact]
    public void ArchiveWithoutArraysIsAnError()
    {
        var path = _temp.File("empty.npz");
        new NpzBuilder().Add("readme.txt", [1, 2, 3]).Write(path);
        var error = Assert.Throws<DatasetFormatException>(() => new NpzDatasetSource(path).Describe());
        Assert.Contains("missing member train_images.npy", error.Problem);
    }

    [Fact]
    public void AskingForAnAbsentSplitIsAnError()
    {
        var path = _temp.File("trainonly.npz");
        new NpzBuilder().AddUInt8("train_images", new byte[8], [2, 2, 2]).AddUInt8("train_labels", [0, 1], [2]).Write(path);
        var error = Assert.Throws<DatasetFormatException>(() => new NpzDatasetSource(path).Load(DatasetSplit.Test));
        Assert.Contains("no test split", error.Problem);
        Assert.Equal(2, new NpzDatasetSource(path).Load(DatasetSplit.All).Count);
    }

    [Theory]
    [InlineData("<f4", "must be uint8")]
    [InlineData("<u2", "must be uint8")]
    public void WrongImageTypeIsNamed(string descr, string expected)
    {
        var path = _temp.File("float.npz");
        new NpzBuilder()
            .Add("train_images.npy", NpzBuilder.Npy(descr, [2, 2, 2], new byte[32]))
            .AddUInt8("train_labels", [0, 1], [2])
            .Write(path);
        var error = Assert.Throws<DatasetFormatException>(() => new NpzDatasetSource(path).Load(DatasetSplit.Train));
        Assert.Contains("train_images.npy", error.Problem);
        Assert.Contains(expected, error.Problem);
    }

    [Fact]
    public void FloatLabelsAreRejected()
    {
        var path = _temp.File("floatlabels.npz");
        new NpzBuilder()
            .AddUInt8("train_images", new byte[8], [2, 2, 2])
            .Add("train_labels.npy", NpzBuilder.Npy("<f8", [2], new byte[16]))
            .Write(path);
        var error = Assert.Throws<DatasetFormatException>(() => new NpzDatasetSource(path).Load(DatasetSplit.Train));
        Assert.Contains("integer labels", error.Problem);
    }

    [Fact]
    public void FortranOrderIsRejected()
    {
        var path = _temp.File("fortran.npz");
        new NpzBuilder()
            .Add("train_images.npy", NpzBuilder.Npy("|u1", [2, 2, 2], new byte[8], fortran: true))
            .AddUInt8("train_labels", [0, 1], [2])
            .Write(path);
        var error = Assert.Throws<DatasetFormatException>(() => new NpzDatasetSource(path).Load(DatasetSplit.Train));
        Assert.Contains("Fortran", error.Problem);
    }

    [Theory]
    [InlineData(new long[] { 8 }, "N×H×W")]
    [InlineData(new long[] { 2, 2, 2, 2 }, "N×H×W")]
    public void WrongImageRankIsRejected(long[] shape, string expected)
    {
        var path = _temp.File("rank.npz");
        var size = (int)shape.Aggregate(1L, (a, b) => a * b);
        new NpzBuilder()
            .AddUInt8("train_images", new byte[size], shape)
            .AddUInt8("train_labels", [0, 1], [2])
            .Write(path);
        var error = Assert.Throws<DatasetFormatException>(() => new NpzDatasetSource(path).Describe());
        Assert.Contains(expected, error.Problem);
    }

    [Fact]
    public void MultiLabelArraysAreRejected()
    {
        var path = _temp.File("multilabel.npz");
        new NpzBuilder()
            .AddUInt8("train_images", new byte[8], [2, 2, 2])
            .AddUInt8("train_labels", new byte[6], [2, 3])
            .Write(path);
        var error = Assert.Throws<DatasetFormatException>(() => new NpzDatasetSource(path).Describe());
        Assert.Contains("(N,) or (N, 1)", error.Problem);
    }

    [Fact]
    public void ImageAndLabelCountMismatchIsNamed()
    {
        var path = _temp.File("mismatch.npz");
        new NpzBuilder()
            .AddUInt8("train_images", new byte[12], [3, 2, 2])
            .AddUInt8("train_labels", [0, 1], [2])
            .Write(path);
        var describe = Assert.Throws<DatasetFormatException>(() => new NpzDatasetSource(path).Describe());
        var load = Assert.Throws<DatasetFormatException>(() => new NpzDatasetSource(path).Load(DatasetSplit.Train));
        Assert.Contains("3 images but train_labels.npy has 2 labels", describe.Problem);
        Assert.Contains("3 images but train_labels.npy has 2 labels", load.Problem);
    }

    [Fact]
    public void TruncatedArrayDataIsNamed()
    {
        var path = _temp.File("truncated.npz");
        new NpzBuilder()
            .Add("train_images.npy", NpzBuilder.Npy("|u1", [2, 2, 2], new byte[5]))
            .AddUInt8("train_labels", [0, 1], [2])
            .Write(path);
        var error = Assert.Throws<DatasetFormatException>(() => new NpzDatasetSource(path).Load(DatasetSplit.Train));
        Assert.Contains("truncated", error.Problem);
    }

    [Fact]
    public void TruncatedZipFileIsNamed()
    {
        var full = WriteStandard("whole.npz");
        var bytes = File.ReadAllBytes(full);
        var path = _temp.File("cut.npz");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<DatasetFormatException>(() => new NpzDatasetSource(path).Load(DatasetSplit.Train));
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void ArraysTooLargeForMemoryAreRefusedBeforeAllocating()
    {
        var path = _temp.File("huge.npz");
        new NpzBuilder()
            .Add("train_images.npy", NpzBuilder.Npy("|u1", [3_000_000, 224, 224, 3], new byte[10]))
            .AddUInt8("train_labels", new byte[4], [4])
            .Write(path);
        var describe = Assert.Throws<DatasetFormatException>(() => new NpzDatasetSource(path).Describe());
        Assert.Contains("needs 451584000000 bytes but the member holds 10", describe.Problem);

        var consistent = _temp.File("huge2.npz");
        new NpzBuilder()
            .Add("train_images.npy", NpzBuilder.Npy("|u1", [20_000, 224, 224, 3], new byte[10]))
            .AddUInt8("train_labels", new byte[20_000], [20_000])
            .Write(consistent);
        var load = Assert.Throws<DatasetFormatException>(() => new NpzDatasetSource(consistent).Load(DatasetSplit.Train));
        Assert.Contains("needs 3010560000 bytes but the member holds 10", load.Problem);
    }

    [Fact]
    public void BadMagicIsNamed()
    {
        var path = _temp.File("badmagic.npz");
        new NpzBuilder()
            .Add("train_images.npy", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
            .AddUInt8("train_labels", [0], [1])
            .Write(path);
        var error = Assert.Throws<DatasetFormatException>(() => new NpzDatasetSource(path).Describe());
        Assert.Contains("not an .npy array", error.Problem);
    }

    public static TheoryData<string, int, int, int, int, int, int> SharedFiles => new()
    {
        { "pbc-bloodcells-28.npz", 11964, 1709, 3419, 3, 28, 8 },
        { "breastmnist.npz", 546, 78, 156, 1, 28, 2 },
        { "retinamnist.npz", 1080, 120, 400, 3, 28, 5 },
        { "pneumoniamnist-subset.npz", 2428, 270, 468, 1, 28, 2 },
    };

    [SkippableTheory]
    [MemberData(nameof(SharedFiles))]
    public void EverySharedNpzDescribesAndLoadsWithItsSplitSizes(string file, int train, int val, int test, int channels, int size, int classes)
    {
        var source = new NpzDatasetSource(SharedData.File(file));

        var summary = source.Describe();
        var valSplit = source.Load(DatasetSplit.Val);

        Assert.Equal(train, summary.CountsPerSplit[DatasetSplit.Train].Sum());
        Assert.Equal(val, summary.CountsPerSplit[DatasetSplit.Val].Sum());
        Assert.Equal(test, summary.CountsPerSplit[DatasetSplit.Test].Sum());
        Assert.Equal((channels, size, size, classes), (summary.Channels, summary.Height, summary.Width, summary.ClassNames.Count));
        Assert.Equal(val, valSplit.Count);
        Assert.Equal(summary.CountsPerSplit[DatasetSplit.Val], valSplit.CountPerClass());
    }
}

/// <summary>Timing tests run alone so parallel test classes do not distort the clock.</summary>
[CollectionDefinition(nameof(TimingCollection), DisableParallelization = true)]
public sealed class TimingCollection;

[Collection(nameof(TimingCollection))]
public class NpzLoadTimeTests
{
    [SkippableFact]
    public void The17kImageBloodCellFileLoadsWithinThreeSeconds()
    {
        var source = new NpzDatasetSource(SharedData.File("pbc-bloodcells-28.npz"));

        var clock = Stopwatch.StartNew();
        var all = source.Load(DatasetSplit.All);
        clock.Stop();

        Console.WriteLine($"17,092-image npz loaded in {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal(17092, all.Count);
        Assert.Equal(8, all.ClassNames.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"loading took {clock.Elapsed.TotalSeconds:F2} s");
        // Blood smears are pinkish: red above blue on average, which a channel mix-up would break.
        Assert.True(ChannelMean(all, 0) > ChannelMean(all, 2) - 40);
    }

    private static double ChannelMean(ImageDataset data, int channel)
    {
        var plane = data.Height * data.Width;
        long sum = 0;
        for (var n = 0; n < data.Count; n++)
            foreach (var b in data.Image(n).Slice(channel * plane, plane)) sum += b;
        return sum / (double)((long)data.Count * plane);
    }
}
