using Medvis.Core.Data;
using Medvis.Core.Storage;

namespace Medvis.Web.Training;

/// <summary>The images a run trains on, and where each sits in the dataset split (for thumbnails).</summary>
public sealed record TrainingData(ImageDataset Images, int[] DatasetIndices);

/// <summary>Loads a run's split and, when the run caps its size, draws the same seeded subset every time.</summary>
public sealed class TrainingDataLoader(DatasetService datasets)
{
    public TrainingData Load(RunRecord run, int seed)
    {
        var split = datasets.Load(run.DatasetSpec, run.ImageSize, run.Split);
        if (split.Count == 0) throw new InvalidOperationException($"{run.DatasetName}: the {run.Split} split holds no images.");
        var indices = SubsetIndices(split.Count, run.MaxImages, seed);
        return indices.Length == split.Count ? new(split, indices) : new(split.Subset(indices), indices);
    }

    /// <summary>Sorted indices of a seeded random subset of <paramref name="max"/> out of <paramref name="count"/> (all when max is null or larger).</summary>
    public static int[] SubsetIndices(int count, int? max, int seed)
    {
        if (max is not { } m || m >= count) return Enumerable.Range(0, count).ToArray();
        var all = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(all);
        var chosen = all[..m];
        Array.Sort(chosen);
        return chosen;
    }
}
