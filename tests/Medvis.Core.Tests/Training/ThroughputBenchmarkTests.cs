using Medvis.Core.Augmentation;
using Medvis.Core.Training;

namespace Medvis.Core.Tests.Training;

public class ThroughputBenchmarkTests
{
    [Fact]
    public void MeasuresEachBackboneAndBatchSizeWithConsistentTiming()
    {
        var measurements = ThroughputBenchmark.Run(["tiny"], [8, 16], imageSize: 16, steps: 2, device: "cpu",
            augmentation: AugmentationOptions.Parse("rot90,-grayscale")).ToList();

        Assert.Equal([8, 16], measurements.Select(m => m.BatchSize));
        Assert.All(measurements, m =>
        {
            Assert.Equal("tiny", m.Backbone);
            Assert.Equal(16, m.ImageSize);
            Assert.Equal(2, m.Steps);
            Assert.True(m.ImagesPerSecond is > 0 and < 1e7, $"{m.ImagesPerSecond} images/s");
            Assert.Equal(m.BatchSize, m.ImagesPerSecond * m.SecondsPerStep, 6);
        });
    }

    [Theory]
    [InlineData("vgg", 8, 2, 28, "Unknown backbone 'vgg'")]
    [InlineData("tiny", 1, 2, 28, "batch size 1")]
    [InlineData("tiny", 8, 0, 28, "steps 0")]
    [InlineData("tiny", 8, 2, 4, "image size 4")]
    public void RejectsBadSettingsBeforeMeasuringAnything(string backbone, int batch, int steps, int size, string expected)
    {
        // Run is not enumerated: the check must happen on the call itself.
        var error = Assert.ThrowsAny<ArgumentException>(() => ThroughputBenchmark.Run([backbone], [batch], size, steps, "cpu"));
        Assert.Contains(expected, error.Message);
    }
}
