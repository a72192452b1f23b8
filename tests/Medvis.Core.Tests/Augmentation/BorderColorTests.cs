using Medvis.Core.Augmentation;
using Medvis.Core.Data;

namespace Medvis.Core.Tests.Augmentation;

public class BorderColorTests
{
    private static ImageDataset Dataset(byte[] pixels, int count, int channels, int height, int width) =>
        new("tiny", pixels, count, channels, height, width, new int[count], ["a"]);

    [Fact]
    public void CountsEveryBorderPixelOnceAndAveragesPerImageThenOverImages()
    {
        // Two 3×4 RGB images. Image 0, red: corners 200, other border pixels 100, centre 0 (ignored):
        // 10 border pixels, 4 corners → (4·200 + 6·100)/10 = 140. Green is 10 everywhere, blue has the centre 255.
        // Image 1 is all 20. Means over the two images: (80, 15, 10).
        byte[] red =
        [
            200, 100, 100, 200,
            100, 0, 0, 100,
            200, 100, 100, 200,
        ];
        var green = Enumerable.Repeat((byte)10, 12).ToArray();
        byte[] blue = [0, 0, 0, 0, 0, 255, 255, 0, 0, 0, 0, 0];
        var second = Enumerable.Repeat((byte)20, 36).ToArray();
        var dataset = Dataset([.. red, .. green, .. blue, .. second], 2, 3, 3, 4);

        Assert.Equal(new[] { 80f, 15f, 10f }, BorderColor.Compute(dataset));
    }

    [Fact]
    public void GreyImagesAndSingleRowImagesWork()
    {
        Assert.Equal(new[] { 2f }, BorderColor.Compute(Dataset([1, 2, 3], 1, 1, 1, 3)));
        // 3×3 grey: border is the 8 outer pixels (values 1..8), centre 100 is left out.
        Assert.Equal(new[] { 4.5f }, BorderColor.Compute(Dataset([1, 2, 3, 4, 100, 5, 6, 7, 8], 1, 1, 3, 3)));
    }

    [Fact]
    public void AnEmptyDatasetIsAClearError()
    {
        var error = Assert.Throws<ArgumentException>(() => BorderColor.Compute(Dataset([], 0, 3, 2, 2)));
        Assert.Contains("tiny", error.Message);
    }

    [Fact]
    public void ToUnitRangeDividesBy255() =>
        Assert.Equal(new[] { 0f, 1f, 0.2f }, BorderColor.ToUnitRange([0f, 255f, 51f]));
}
