using Medvis.Core.Data;
using Medvis.Core.Evaluation;
using Medvis.Core.Training;
using Xunit.Abstractions;

namespace Medvis.Core.Tests.Training;

public class IsimedTrainingTests(ITestOutputHelper output)
{
    /// <summary>
    /// Images whose content depends on position, as the body's structures do in one modality: red rises from left to
    /// right, green from top to bottom, blue with the distance from the centre; each image has its own brightness
    /// and pixel noise, so no two are alike.
    /// </summary>
    private static ImageDataset PositionPattern(int count, int size, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[count * 3 * size * size];
        for (var n = 0; n < count; n++)
        {
            var brightness = random.Next(-30, 31);
            for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                {
                    var (u, v) = ((x + 0.5) / size, (y + 0.5) / size);
                    var radius = Math.Sqrt((u - 0.5) * (u - 0.5) + (v - 0.5) * (v - 0.5)) / Math.Sqrt(0.5);
                    double[] channels = [40 + 170 * u, 40 + 170 * v, 210 - 170 * radius];
                    for (var c = 0; c < 3; c++)
                        pixels[((n * 3 + c) * size + y) * size + x] = (byte)Math.Clamp(channels[c] + brightness + random.Next(-25, 26), 0, 255);
                }
        }
        return new ImageDataset("position pattern", pixels, count, 3, size, size, new int[count], ["all"]);
    }

    /// <summary>12-px images, 20 epochs of the tiny backbone: about 10 s per objective on 2 idle cores, 20–25 s on busy ones.</summary>
    [Fact]
    public void AShortIsimedRunLearnsToEncodeWhereACropComesFrom()
    {
        var data = PositionPattern(128, 12, seed: 3);
        var options = TrainingTestData.TinyOptions([20, 0, 0]) with { Objective = TrainingObjective.Isimed, BatchSize = 32, LearningRate = 0.1 };
        var probe = new PositionalProbeOptions(Images: 200, Space: ProbeSpace.Output, Seed: 1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var model = new TSimCneTrainer(options).Train(data).Model;
        var trained = PositionalProbe.Evaluate(model, PositionPattern(100, 12, seed: 4), probe);
        output.WriteLine($"ISImed: R² {trained.RSquared:F3} (x {trained.RSquaredX:F3}, y {trained.RSquaredY:F3}) in {clock.Elapsed.TotalSeconds:F1} s");
        using var contrastive = new TSimCneTrainer(options with { Objective = TrainingObjective.TSimCne }).Train(data).Model;
        var baseline = PositionalProbe.Evaluate(contrastive, PositionPattern(100, 12, seed: 4), probe);
        output.WriteLine($"t-SimCNE: R² {baseline.RSquared:F3} (x {baseline.RSquaredX:F3}, y {baseline.RSquaredY:F3}); total {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(trained.RSquaredX > 0.8 && trained.RSquaredY > 0.8, $"positional R² x {trained.RSquaredX:F3}, y {trained.RSquaredY:F3}");
        // The pattern is easy enough that any network keeps some position; ISImed must be what makes it a linear code.
        Assert.True(trained.RSquared > baseline.RSquared + 0.05, $"ISImed R² {trained.RSquared:F3}, t-SimCNE R² {baseline.RSquared:F3}");
    }
}
