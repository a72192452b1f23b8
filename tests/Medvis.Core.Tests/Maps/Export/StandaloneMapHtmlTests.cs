using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Medvis.Core.Data;
using Medvis.Core.Maps.Export;
using SkiaSharp;

namespace Medvis.Core.Tests.Maps.Export;

/// <summary>A map exported as one HTML file: what it embeds decodes back, nothing in it can break out of its blocks, and thumbnails follow the limit.</summary>
public class StandaloneMapHtmlTests
{
    private static ImageDataset Images(int count, int size = 28)
    {
        var random = new Random(3);
        var pixels = new byte[count * 3 * size * size];
        random.NextBytes(pixels);
        return new ImageDataset("toy", pixels, count, 3, size, size, Enumerable.Range(0, count).Select(i => i % 3).ToArray(), ["a", "b", "c"]);
    }

    private static StandaloneMapContent Content(int count, ImageDataset? images, StandaloneMapOptions? options = null)
    {
        var x = Enumerable.Range(0, count).Select(i => (float)Math.Cos(i)).ToArray();
        var y = Enumerable.Range(0, count).Select(i => (float)Math.Sin(i) * 2).ToArray();
        var labels = Enumerable.Range(0, count).Select(i => i % 3).ToArray();
        return StandaloneMapExport.Build("toy map", x, y, labels, ["a", "b", "c"], Enumerable.Range(0, count).Reverse().ToArray(),
            images, null, "{\"card\":1}", options ?? new StandaloneMapOptions());
    }

    private static JsonElement DataBlock(byte[] html)
    {
        var text = Encoding.UTF8.GetString(html);
        var match = Regex.Match(text, "<script type=\"application/json\" id=\"map-data\">(.*?)</script>", RegexOptions.Singleline);
        Assert.True(match.Success, "the data block is missing");
        return JsonDocument.Parse(match.Groups[1].Value).RootElement;
    }

    private static float[] Floats(JsonElement element) => MemoryMarshalFloats(Convert.FromBase64String(element.GetString()!));

    private static float[] MemoryMarshalFloats(byte[] bytes) =>
        Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, i * 4)).ToArray();

    [Fact]
    public void ThePointsAndLabelsDecodeBackExactly()
    {
        var content = Content(50, Images(50));
        var data = DataBlock(StandaloneMapHtml.Render(content));

        Assert.Equal(50, data.GetProperty("count").GetInt32());
        Assert.Equal(content.X, Floats(data.GetProperty("x")));
        Assert.Equal(content.Y, Floats(data.GetProperty("y")));
        var labelBytes = Convert.FromBase64String(data.GetProperty("labels").GetString()!);
        Assert.Equal(content.Labels, Enumerable.Range(0, 50).Select(i => BitConverter.ToInt32(labelBytes, i * 4)));
        Assert.Equal(["a", "b", "c"], data.GetProperty("classNames").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void TheAtlasHoldsEachPointsOwnImageInItsTile()
    {
        var images = Images(10);
        var content = Content(10, images);
        var atlas = content.Thumbnails!;
        Assert.Equal((28, 4, 10), (atlas.Tile, atlas.Columns, atlas.Count));
        using var decoded = SKBitmap.Decode(atlas.Jpeg);
        Assert.Equal((4 * 28, 3 * 28), (decoded.Width, decoded.Height));
        // Point 0 shows image 9 (the indices are reversed): its tile's mean colour follows that image, not image 0.
        static double Mean(SKBitmap bitmap, int tile) =>
            Enumerable.Range(0, 28 * 28).Average(p => bitmap.GetPixel(tile % 4 * 28 + p % 28, tile / 4 * 28 + p / 28).Red);
        var expected = images.Image(9)[..(28 * 28)].ToArray().Average(b => b);
        Assert.InRange(Mean(decoded, 0), expected - 6, expected + 6);
    }

    [Fact]
    public void ANameCannotEndTheDataBlockOrInjectMarkup()
    {
        var content = Content(3, null) with { Title = "</script><script>alert(1)</script>" };
        content = content with { ClassNames = ["</script><b>x</b>", "b", "c"] };
        var html = Encoding.UTF8.GetString(StandaloneMapHtml.Render(content));

        // Only the data block and the viewer close a script: two closings, and no injected tag.
        Assert.Equal(2, Regex.Matches(html, "</script>").Count);
        Assert.DoesNotContain("<script>alert", html);
        Assert.Equal("</script><b>x</b>", DataBlock(Encoding.UTF8.GetBytes(html)).GetProperty("classNames")[0].GetString());
    }

    [Fact]
    public void MapsPastTheLimitAreExportedWithoutThumbnailsAndSaySo()
    {
        var content = Content(30, Images(30), new StandaloneMapOptions { MaxThumbnailPoints = 20 });
        Assert.Null(content.Thumbnails);
        Assert.Contains("more than the 20", content.ThumbnailNote);
        var html = Encoding.UTF8.GetString(StandaloneMapHtml.Render(content));
        Assert.Contains("data-testid=\"thumbnail-note\"", html);
        Assert.Equal(JsonValueKind.Null, DataBlock(Encoding.UTF8.GetBytes(html)).GetProperty("atlas").ValueKind);
    }

    [Fact]
    public void ArraysThatDisagreeAreRefused()
    {
        var content = Content(5, null);
        Assert.Throws<ArgumentException>(() => StandaloneMapHtml.Render(content with { Labels = [0, 1] }));
        Assert.Throws<ArgumentException>(() => StandaloneMapHtml.Render(content with { Labels = [0, 1, 2, 3, 7] }));
        Assert.Throws<ArgumentException>(() => StandaloneMapHtml.Render(content with
        {
            Colourings = [ExportColouring.Categorical("site", [0, 0, 0, 0, 2], ["x", "y"])],
        }));
        Assert.Throws<ArgumentException>(() => new StandaloneMapOptions { ThumbnailSize = 4 }.Validate());
    }

    [Fact]
    public void TheFileNeedsNothingFromOutside()
    {
        var html = Encoding.UTF8.GetString(StandaloneMapHtml.Render(Content(5, Images(5))));
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.Contains("default-src 'none'", html);
        Assert.Contains("window.medvisMap", html);
    }
}
