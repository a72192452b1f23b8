using System.Diagnostics;
using Medvis.Core.Data;
using SkiaSharp;

namespace Medvis.Core.Tests.Data;

public class ImageFolderDatasetSourceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Writes a solid-colour image of the given size in the given format.</summary>
    internal static void WriteImage(string path, int width, int height, SKColor color, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(color);
        using var data = bitmap.Encode(format, 95);
        File.WriteAllBytes(path, data.ToArray());
    }

    [Fact]
    public void ClassesAreSortedFolderNamesAndImagesAreResizedSquares()
    {
        WriteImage(_temp.File("zebra/a.png"), 40, 30, new SKColor(200, 20, 20));
        WriteImage(_temp.File("zebra/b.jpg"), 64, 64, new SKColor(200, 20, 20), SKEncodedImageFormat.Jpeg);
        WriteImage(_temp.File("apple/x.png"), 10, 50, new SKColor(10, 180, 30));
        File.WriteAllText(_temp.File("apple/notes.txt"), "ignored");

        var data = new ImageFolderDatasetSource(_temp.Path, imageSize: 16).Load(DatasetSplit.All);

        Assert.Equal(["apple", "zebra"], data.ClassNames);
        Assert.Equal([0, 1, 1], data.Labels);
        Assert.Equal((3, 3, 16, 16), (data.Count, data.Channels, data.Height, data.Width));
        var green = data.Image(0);
        Assert.Equal([10, 180, 30], new[] { green[0], green[256], green[512] });
        Assert.InRange(data.Image(2)[0], 190, 210); // JPEG red stays red within compression error
    }

    [Fact]
    public void AllGreyImagesAreStoredWithOneChannel()
    {
        WriteImage(_temp.File("a/1.png"), 20, 20, new SKColor(90, 90, 90));
        WriteImage(_temp.File("b/1.png"), 20, 20, new SKColor(160, 160, 160));

        var source = new ImageFolderDatasetSource(_temp.Path, 8);
        var data = source.Load(DatasetSplit.Train);

        Assert.Equal(1, data.Channels);
        Assert.Equal(1, source.Describe().Channels);
        Assert.All(data.Image(1).ToArray(), b => Assert.Equal(160, b));
    }

    [Fact]
    public void DescribeCountsFilesPerClassInTheTrainSplit()
    {
        for (var i = 0; i < 3; i++) WriteImage(_temp.File($"b/{i}.png"), 8, 8, SKColors.Red);
        WriteImage(_temp.File("a/0.jpeg"), 8, 8, SKColors.Blue, SKEncodedImageFormat.Jpeg);

        var summary = new ImageFolderDatasetSource(_temp.Path, 28).Describe();

        Assert.Equal([1, 3], summary.CountsPerSplit[DatasetSplit.Train]);
        Assert.Equal((3, 28, 28), (summary.Channels, summary.Height, summary.Width));
        Assert.Single(summary.CountsPerSplit);
    }

    [Fact]
    public void UndecodableFileIsNamedOrSkippedOnRequest()
    {
        WriteImage(_temp.File("a/good.png"), 8, 8, SKColors.Red);
        File.WriteAllText(_temp.File("a/broken.png"), "not really a png");

        var error = Assert.Throws<DatasetFormatException>(() => new ImageFolderDatasetSource(_temp.Path).Load(DatasetSplit.All));
        Assert.Equal(_temp.File("a/broken.png"), error.Path);
        Assert.Contains("cannot decode", error.Problem);

        var lenient = new ImageFolderDatasetSource(_temp.Path, skipUndecodable: true);
        Assert.Equal(1, lenient.Load(DatasetSplit.All).Count);
        Assert.Equal([_temp.File("a/broken.png")], lenient.SkippedFiles);
    }

    [Fact]
    public void EmptyOrMissingFoldersAreClearErrors()
    {
        Directory.CreateDirectory(_temp.File("empty/classA"));
        var empty = Assert.Throws<DatasetFormatException>(() => new ImageFolderDatasetSource(_temp.File("empty")).Load(DatasetSplit.All));
        Assert.Contains("no class folders with images", empty.Problem);

        var missing = Assert.Throws<DatasetFormatException>(() => new ImageFolderDatasetSource(_temp.File("nowhere")).Describe());
        Assert.Contains("not found", missing.Problem);
    }

    [Fact]
    public void FoldersHaveNoValOrTestSplit()
    {
        WriteImage(_temp.File("a/1.png"), 8, 8, SKColors.Red);
        var error = Assert.Throws<DatasetFormatException>(() => new ImageFolderDatasetSource(_temp.Path).Load(DatasetSplit.Test));
        Assert.Contains("no test split", error.Problem);
    }

    [Fact]
    public void UncompressedAndPackBitsTiffsDecode()
    {
        Directory.CreateDirectory(_temp.File("a"));
        File.WriteAllBytes(_temp.File("a/plain.tif"), TiffBuilder.Rgb(4, 4, [30, 60, 90], compression: 1));
        File.WriteAllBytes(_temp.File("a/packed.tiff"), TiffBuilder.Rgb(4, 4, [30, 60, 90], compression: 32773));

        var data = new ImageFolderDatasetSource(_temp.Path, 4).Load(DatasetSplit.All);

        Assert.Equal(2, data.Count);
        Assert.Equal(data.Image(0).ToArray(), data.Image(1).ToArray());
        Assert.Equal([30, 60, 90], new[] { data.Image(0)[0], data.Image(0)[16], data.Image(0)[32] });
    }

    [Fact]
    public void EncodedThumbnailsDecodeBackToTheSamePixels()
    {
        var pixels = Enumerable.Range(0, 3 * 6 * 6).Select(i => (byte)(i * 7)).ToArray();
        var dataset = new ImageDataset("t", pixels, 1, 3, 6, 6, [0], ["x"]);

        var png = ImageEncoding.EncodePng(dataset, 0);
        var big = ImageEncoding.EncodePng(dataset, 0, upscale: 4);
        var back = ImageEncoding.DecodeImages([("t.png", png)], 6);

        Assert.Equal(pixels, back.Pixels);
        using var bigBitmap = SKBitmap.Decode(big);
        Assert.Equal(24, bigBitmap.Width);
        var bad = Assert.Throws<DatasetFormatException>(() => ImageEncoding.DecodeImages([("junk.jpg", [1, 2, 3])], 6));
        Assert.Equal("junk.jpg", bad.Path);
    }

    [Fact]
    public void ChannelConversionReplicatesGreyAndAveragesRgb()
    {
        var grey = new ImageDataset("g", [10, 20, 30, 40], 1, 1, 2, 2, [0], ["x"]);
        var rgb = ImageEncoding.WithChannels(grey, 3);
        Assert.Equal([10, 20, 30, 40, 10, 20, 30, 40, 10, 20, 30, 40], rgb.Pixels);
        Assert.Equal(grey.Pixels, ImageEncoding.WithChannels(rgb, 1).Pixels);
    }

    [SkippableFact]
    public void TheSharedJpegSubsetLoadsAsEightClassesOfAHundred()
    {
        var source = new ImageFolderDatasetSource(SharedData.File("pbc-jpeg-subset"), 28);

        var clock = Stopwatch.StartNew();
        var data = source.Load(DatasetSplit.All);
        clock.Stop();

        Assert.Equal(8, data.ClassNames.Count);
        Assert.All(data.CountPerClass(), count => Assert.Equal(100, count));
        Assert.Equal((3, 28, 28), (data.Channels, data.Height, data.Width));
        Assert.Equal(["basophil", "eosinophil", "erythroblast", "ig", "lymphocyte", "monocyte", "neutrophil", "platelet"], data.ClassNames);
        Console.WriteLine($"800 JPEGs loaded in {clock.Elapsed.TotalSeconds:F2} s");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"folder load took {clock.Elapsed.TotalSeconds:F1} s");
    }
}

/// <summary>Writes tiny single-strip RGB TIFFs (little-endian) for decoder tests.</summary>
internal static class TiffBuilder
{
    public static byte[] Rgb(int width, int height, byte[] color, int compression)
    {
        var raw = new byte[width * height * 3];
        for (var p = 0; p < width * height; p++) color.CopyTo(raw, p * 3);
        var body = compression == 32773 ? PackBits(raw) : raw;
        var tags = new (ushort Tag, ushort Type, uint Count, uint Value)[]
        {
            (256, 3, 1, (uint)width), (257, 3, 1, (uint)height), (258, 3, 1, 8), (259, 3, 1, (uint)compression),
            (262, 3, 1, 2), (273, 4, 1, 8), (277, 3, 1, 3), (278, 3, 1, (uint)height), (279, 4, 1, (uint)body.Length),
        };
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("II"u8.ToArray());
        writer.Write((ushort)42);
        writer.Write((uint)(8 + body.Length));
        writer.Write(body);
        writer.Write((ushort)tags.Length);
        foreach (var (tag, type, count, value) in tags)
        {
            writer.Write(tag);
            writer.Write(type);
            writer.Write(count);
            if (type == 3) { writer.Write((ushort)value); writer.Write((ushort)0); }
            else writer.Write(value);
        }
        writer.Write(0u);
        return stream.ToArray();
    }

    /// <summary>Literal runs only: a valid (if uncompressed) PackBits stream.</summary>
    private static byte[] PackBits(byte[] raw)
    {
        var output = new List<byte>();
        for (var i = 0; i < raw.Length; i += 128)
        {
            var n = Math.Min(128, raw.Length - i);
            output.Add((byte)(n - 1));
            output.AddRange(raw.AsSpan(i, n).ToArray());
        }
        return [.. output];
    }
}
