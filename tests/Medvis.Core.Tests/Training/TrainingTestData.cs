using Medvis.Core.Data;
using Medvis.Core.Training;

namespace Medvis.Core.Tests.Training;

/// <summary>Small datasets and stores for engine tests.</summary>
internal static class TrainingTestData
{
    /// <summary>Two trivially different classes: dark images with a bright disc vs bright images with a dark disc, plus noise.</summary>
    public static ImageDataset TwoClasses(int count, int size = 12, int seed = 1)
    {
        var random = new Random(seed);
        var pixels = new byte[count * 3 * size * size];
        var labels = new int[count];
        for (var n = 0; n < count; n++)
        {
            labels[n] = n % 2;
            var centreX = size / 2.0 + random.NextDouble() * 2 - 1;
            var centreY = size / 2.0 + random.NextDouble() * 2 - 1;
            for (var c = 0; c < 3; c++)
                for (var y = 0; y < size; y++)
                    for (var x = 0; x < size; x++)
                    {
                        var inside = Math.Pow(x - centreX, 2) + Math.Pow(y - centreY, 2) < size * size / 9.0;
                        var bright = inside ^ (labels[n] == 1);
                        var value = (bright ? 200 : 40) + random.Next(-20, 21);
                        pixels[((n * 3 + c) * size + y) * size + x] = (byte)Math.Clamp(value, 0, 255);
                    }
        }
        return new ImageDataset("two classes", pixels, count, 3, size, size, labels, ["dark", "bright"]);
    }

    public static TrainingOptions TinyOptions(int[] epochs, int seed = 7) => new()
    {
        Backbone = "tiny",
        BatchSize = 32,
        EpochsPerStage = epochs,
        HiddenDim = 64,
        PretrainDim = 16,
        Seed = seed,
        Device = "cpu",
        SnapshotSize = 20,
        // Checkpoint every epoch: the resume and recovery tests stop and fail at chosen epochs.
        CheckpointMinSeconds = 0,
        Augmentation = Medvis.Core.Augmentation.AugmentationOptions.Natural,
    };
}

/// <summary>Keeps checkpoints in memory and counts saves.</summary>
internal sealed class InMemoryCheckpointStore : ICheckpointStore
{
    public TrainingCheckpoint? Latest { get; private set; }
    public int Saves { get; private set; }
    public void Save(TrainingCheckpoint checkpoint) { Latest = checkpoint; Saves++; }
    public TrainingCheckpoint? LoadLatest() => Latest;
}
