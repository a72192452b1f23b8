using Medvis.Core.Data;
using SkiaSharp;

namespace Medvis.Core.Tests.Data;

public class InputLimitsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TheDefaultsAreValid() => Assert.Same(InputLimits.Default, InputLimits.Default.Validate());

    [Fact]
    public void ASettingOutOfRangeIsNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => new InputLimits { MaxClasses = 1 }.Validate());
        Assert.Contains("Medvis:InputLimits:MaxClasses", error.Message);
        Assert.Throws<ArgumentException>(() => new InputLimits { MaxImagePixels = 1L << 40 }.Validate());
    }

    [Fact]
    public void EnvironmentVariablesOverrideTheDefaults()
    {
        var variables = new Dictionary<string, string>
        {
            ["Medvis__InputLimits__MaxClasses"] = "20",
            ["Medvis__InputLimits__MaxLoadBytes"] = "8_000_000_000",
        };

        var limits = InputLimits.FromEnvironment(variables.GetValueOrDefault);

        Assert.Equal(20, limits.MaxClasses);
        Assert.Equal(8_000_000_000, limits.MaxLoadBytes);
        Assert.Equal(InputLimits.Default.MaxImages, limits.MaxImages);
    }

    [Theory]
    [InlineData("Medvis__InputLimits__MaxImages", "lots")]
    [InlineData("Medvis__InputLimits__MaxClasses", "99999999999")]
    [InlineData("Medvis__InputLimits__MaxClasses", "1")]
    public void BadEnvironmentValuesAreRefusedByName(string variable, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => InputLimits.FromEnvironment(v => v == variable ? value : null));
        Assert.Contains(variable.Split("__")[^1], error.Message);
    }

    [Fact]
    public void ALoadOverTheMemoryLimitIsRefusedBeforeReadingPixels()
    {
        var path = _temp.File("small.npz");
        new NpzBuilder().AddUInt8("train_images", new byte[10 * 64], [10, 8, 8]).AddUInt8("train_labels", new byte[10], [10]).Write(path);

        var source = new NpzDatasetSource(path, new InputLimits { MaxLoadBytes = 500 });

        Assert.Equal(10, source.Describe().CountsPerSplit[DatasetSplit.Train].Sum());
        var error = Assert.Throws<DatasetFormatException>(() => source.Load(DatasetSplit.Train));
        Assert.Equal(path, error.Path);
        Assert.Contains("needs about 680 bytes of memory, over the limit of 500 bytes (setting Medvis:InputLimits:MaxLoadBytes", error.Problem);
    }

    [Fact]
    public void LabelsAtTheClassLimitAreRefusedAndBelowItAccepted()
    {
        var path = _temp.File("labels.npz");
        new NpzBuilder().AddUInt8("train_images", new byte[2 * 4], [2, 2, 2]).AddInt64("train_labels", [0, 9], [2]).Write(path);

        Assert.Equal(10, new NpzDatasetSource(path, new InputLimits { MaxClasses = 10 }).Describe().ClassNames.Count);
        var error = Assert.Throws<DatasetFormatException>(() => new NpzDatasetSource(path, new InputLimits { MaxClasses = 9 }).Describe());
        Assert.Contains("label 9 at row 1 is over the limit of 9 classes", error.Problem);
    }

    /// <summary>Enough RGB images that the interleaved-to-planar conversion runs over several buffers.</summary>
    [Fact]
    public void RgbImagesSpanningSeveralConversionBuffersComeOutPlanar()
    {
        const int count = 3000, side = 28;
        var interleaved = new byte[count * side * side * 3];
        for (var i = 0; i < interleaved.Length; i++) interleaved[i] = (byte)(i / 3 % 251 + i % 3);
        var path = _temp.File("rgb.npz");
        new NpzBuilder().AddUInt8("train_images", interleaved, [count, side, side, 3]).AddUInt8("train_labels", new byte[count], [count]).Write(path);

        var data = new NpzDatasetSource(path).Load(DatasetSplit.Train);

        var plane = side * side;
        foreach (var n in new[] { 0, 1782, 1783, 2999 })
            for (var c = 0; c < 3; c++)
                foreach (var p in new[] { 0, 1, plane - 1 })
                    Assert.Equal(interleaved[(n * plane + p) * 3 + c], data.Image(n)[c * plane + p]);
    }

    [Fact]
    public void AnUploadOverItsTotalIsRefusedNamingTheFileThatCrossedIt()
    {
        var png = ImagePng(8);
        var files = Enumerable.Range(0, 3).Select(i => ($"f{i}.png", png)).ToList();

        var error = Assert.Throws<DatasetFormatException>(() =>
            ImageEncoding.DecodeImages(files, 8, limits: new InputLimits { MaxUploadBytes = png.Length * 2 + 1 }));

        Assert.Equal("f2.png", error.Path);
        Assert.Contains("Medvis:InputLimits:MaxUploadBytes", error.Problem);
        Assert.Equal(3, ImageEncoding.DecodeImages(files, 8).Count);
    }

    [Fact]
    public void AFolderImageOverThePixelCapIsRefusedBeforeDecodingAndNamed()
    {
        var file = _temp.File("cells/a/big.png");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, ImagePng(64));
        var source = new ImageFolderDatasetSource(_temp.File("cells"), 8, limits: new InputLimits { MaxImagePixels = 64 * 63 });

        var error = Assert.Throws<DatasetFormatException>(() => source.Load(DatasetSplit.All));

        Assert.Equal(file, error.Path);
        Assert.Contains("image size 64×64 is over the limit of 4032 pixels per image", error.Problem);
    }

    private static byte[] ImagePng(int side)
    {
        using var bitmap = new SKBitmap(side, side);
        bitmap.Erase(SKColors.Teal);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
