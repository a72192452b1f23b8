using Medvis.Core.Data.Synthetic;

namespace Medvis.Core.Data;

/// <summary>How the built-in demo dataset is generated.</summary>
public sealed record SyntheticMicroscopyOptions
{
    /// <summary>Images before any injected duplicates (split 70 / 10 / 20 into train / val / test).</summary>
    public int Count { get; init; } = 3000;
    /// <summary>Side of the square RGB images (28 or 64 are the usual; 8..256 allowed).</summary>
    public int ImageSize { get; init; } = 28;
    /// <summary>Everything random (labels, shapes, stain, noise, injections) derives from this seed.</summary>
    public int Seed { get; init; }
    /// <summary>Perturbed copies of one training image appended to the train split (the paper's QC experiment uses 100).</summary>
    public int DuplicateCopies { get; init; }
    /// <summary>Training images that get black blobs painted over them (the paper's QC experiment uses 50).</summary>
    public int ArtefactImages { get; init; }

    /// <summary>The quality-control variant: 100 duplicates and 50 images with artefacts.</summary>
    public static SyntheticMicroscopyOptions QualityControl => new() { DuplicateCopies = 100, ArtefactImages = 50 };

    /// <summary>Throws <see cref="ArgumentException"/> on absurd values.</summary>
    public SyntheticMicroscopyOptions Validate()
    {
        if (Count is < 10 or > 1_000_000) throw new ArgumentException($"synthetic image count {Count} must be between 10 and 1000000");
        if (ImageSize is < 8 or > 256) throw new ArgumentException($"synthetic image size {ImageSize} must be between 8 and 256");
        if (DuplicateCopies is < 0 or > 100_000) throw new ArgumentException($"duplicate copies {DuplicateCopies} must be between 0 and 100000");
        if (ArtefactImages < 0 || ArtefactImages > TrainCount - 1)
            throw new ArgumentException($"artefact images {ArtefactImages} must be between 0 and {TrainCount - 1} (the train split minus the duplicated image)");
        return this;
    }

    internal int TrainCount => (int)Math.Round(Count * 0.7);
    internal int ValCount => (int)Math.Round(Count * 0.1);
    internal int TestCount => Count - TrainCount - ValCount;
}

/// <summary>Ground truth of the injected quality problems, one flag per image of a loaded split.</summary>
/// <param name="IsDuplicate">The duplicated original and its perturbed copies.</param>
/// <param name="IsArtefact">Images with black blobs painted on.</param>
public sealed record QualityFlags(bool[] IsDuplicate, bool[] IsArtefact);

/// <summary>A loaded synthetic split with its quality ground truth.</summary>
public sealed record SyntheticDataset(ImageDataset Images, QualityFlags Flags);

/// <summary>
/// The app's built-in demo: blood-smear-like RGB cells of eight classes that differ by rotation-invariant
/// morphology (see <see cref="ClassNames"/>), drawn at random orientation, offset, size and stain, with noise.
/// Fully determined by <see cref="SyntheticMicroscopyOptions.Seed"/>; needs no files. Images are generated once
/// per instance, on first use.
/// </summary>
public sealed class SyntheticMicroscopyDataset : IDatasetSource
{
    private readonly Lazy<SyntheticDataset> _all;
    private readonly int[] _labels;

    /// <summary>Creates the generator; nothing is rendered until the first <see cref="Load"/>.</summary>
    public SyntheticMicroscopyDataset(SyntheticMicroscopyOptions? options = null)
    {
        Options = (options ?? new SyntheticMicroscopyOptions()).Validate();
        _labels = BalancedShuffledLabels(Options.Count, ClassNames.Count, Options.Seed);
        _all = new Lazy<SyntheticDataset>(Generate);
    }

    /// <summary>The classes, indexed like the labels.</summary>
    public static IReadOnlyList<string> ClassNames => BloodCellRenderer.ClassNames;

    /// <summary>The (validated) generation options.</summary>
    public SyntheticMicroscopyOptions Options { get; }

    /// <inheritdoc />
    public string Name => $"synthetic demo ({Options.ImageSize}px, seed {Options.Seed})";

    /// <summary>Counts per class and split, from the labels alone (nothing is rendered).</summary>
    public DatasetSummary Describe()
    {
        var labels = LabelsWithDuplicates();
        var counts = new Dictionary<DatasetSplit, int[]>();
        foreach (var split in new[] { DatasetSplit.Train, DatasetSplit.Val, DatasetSplit.Test })
        {
            var (start, length) = Range(split);
            var perClass = new int[ClassNames.Count];
            foreach (var label in labels.AsSpan(start, length)) perClass[label]++;
            counts[split] = perClass;
        }
        return new DatasetSummary(Name, "synthetic", 3, Options.ImageSize, Options.ImageSize, ClassNames, counts);
    }

    /// <inheritdoc />
    public ImageDataset Load(DatasetSplit split) => LoadWithFlags(split).Images;

    /// <summary>A split together with which of its images are injected duplicates or artefacts.</summary>
    public SyntheticDataset LoadWithFlags(DatasetSplit split)
    {
        var all = _all.Value;
        if (split == DatasetSplit.All) return all;
        var (start, length) = Range(split);
        var indices = Enumerable.Range(start, length).ToArray();
        var images = all.Images.Subset(indices);
        var named = new ImageDataset($"{Name} ({split.ToString().ToLowerInvariant()})", images.Pixels, images.Count,
            images.Channels, images.Height, images.Width, images.Labels, images.ClassNames, images.SourceIndices);
        return new SyntheticDataset(named, new QualityFlags(all.Flags.IsDuplicate[start..(start + length)],
            all.Flags.IsArtefact[start..(start + length)]));
    }

    /// <summary>Generates one split of a dataset with the given options (convenience for one-off use).</summary>
    public static SyntheticDataset GenerateWithFlags(SyntheticMicroscopyOptions options, DatasetSplit split = DatasetSplit.All) =>
        new SyntheticMicroscopyDataset(options).LoadWithFlags(split);

    /// <summary>Layout of the full dataset: train (with appended duplicates), then val, then test.</summary>
    private (int Start, int Length) Range(DatasetSplit split) => split switch
    {
        DatasetSplit.Train => (0, Options.TrainCount + Options.DuplicateCopies),
        DatasetSplit.Val => (Options.TrainCount + Options.DuplicateCopies, Options.ValCount),
        DatasetSplit.Test => (Options.TrainCount + Options.DuplicateCopies + Options.ValCount, Options.TestCount),
        _ => (0, Options.Count + Options.DuplicateCopies),
    };

    /// <summary>Index of the training image that gets duplicated.</summary>
    private int DuplicatedIndex => Math.Abs(Options.Seed % Options.TrainCount);

    private int[] LabelsWithDuplicates()
    {
        var train = _labels[..Options.TrainCount];
        var copies = Enumerable.Repeat(_labels[DuplicatedIndex], Options.DuplicateCopies);
        return [.. train, .. copies, .. _labels[Options.TrainCount..]];
    }

    private SyntheticDataset Generate()
    {
        var size = Options.ImageSize;
        var imageBytes = 3 * size * size;
        var total = Options.Count + Options.DuplicateCopies;
        var pixels = new byte[(long)total * imageBytes];
        // Generated images keep their own index; duplicates are inserted after the train block.
        int Slot(int generated) => generated < Options.TrainCount ? generated : generated + Options.DuplicateCopies;
        Parallel.For(0, Options.Count, i =>
            BloodCellRenderer.Render(_labels[i], ImageRandom(i), size, pixels.AsSpan(Slot(i) * imageBytes, imageBytes)));

        var isDuplicate = new bool[total];
        var isArtefact = new bool[total];
        InjectDuplicates(pixels, imageBytes, isDuplicate);
        InjectArtefacts(pixels, size, isArtefact);
        var labels = LabelsWithDuplicates();
        var images = new ImageDataset($"{Name} (all)", pixels, total, 3, size, size, labels, ClassNames);
        return new SyntheticDataset(images, new QualityFlags(isDuplicate, isArtefact));
    }

    /// <summary>Copies of one training image with slight Gaussian noise (σ = 2 grey levels), appended to the train split.</summary>
    private void InjectDuplicates(byte[] pixels, int imageBytes, bool[] isDuplicate)
    {
        if (Options.DuplicateCopies == 0) return;
        var random = new Random(HashCode(Options.Seed, -1));
        var original = pixels.AsSpan(DuplicatedIndex * imageBytes, imageBytes);
        isDuplicate[DuplicatedIndex] = true;
        for (var k = 0; k < Options.DuplicateCopies; k++)
        {
            var slot = Options.TrainCount + k;
            var copy = pixels.AsSpan(slot * imageBytes, imageBytes);
            for (var p = 0; p < imageBytes; p++)
                copy[p] = (byte)Math.Clamp((int)MathF.Round(original[p] + 2f * CellCanvas.Gaussian(random)), 0, 255);
            isDuplicate[slot] = true;
        }
    }

    /// <summary>Black blobs (one to three dark ellipses) on distinct training images other than the duplicated one.</summary>
    private void InjectArtefacts(byte[] pixels, int size, bool[] isArtefact)
    {
        if (Options.ArtefactImages == 0) return;
        var random = new Random(HashCode(Options.Seed, -2));
        var candidates = Enumerable.Range(0, Options.TrainCount).Where(i => i != DuplicatedIndex).ToArray();
        random.Shuffle(candidates);
        foreach (var index in candidates.Take(Options.ArtefactImages))
        {
            PaintBlackBlobs(pixels.AsSpan(index * 3 * size * size, 3 * size * size), size, random);
            isArtefact[index] = true;
        }
    }

    private static void PaintBlackBlobs(Span<byte> planes, int size, Random random)
    {
        var plane = size * size;
        var blobs = random.Next(1, 4);
        for (var b = 0; b < blobs; b++)
        {
            float cx = (float)random.NextDouble() * 1.6f - 0.8f, cy = (float)random.NextDouble() * 1.6f - 0.8f;
            float ra = 0.12f + (float)random.NextDouble() * 0.2f, rb = ra * (0.5f + (float)random.NextDouble() * 0.5f);
            for (var p = 0; p < plane; p++)
            {
                float x = (p % size + 0.5f) * 2f / size - 1f - cx, y = (p / size + 0.5f) * 2f / size - 1f - cy;
                if ((x / ra) * (x / ra) + (y / rb) * (y / rb) > 1f) continue;
                planes[p] = planes[plane + p] = planes[2 * plane + p] = (byte)random.Next(5, 25);
            }
        }
    }

    /// <summary>Independent stream per image so generation can run in parallel and stay deterministic.</summary>
    private Random ImageRandom(int index) => new(HashCode(Options.Seed, index));

    /// <summary>Stable 32-bit mix of (seed, index) (SplitMix64 finaliser; System.HashCode is randomised per process).</summary>
    private static int HashCode(int seed, int index)
    {
        var z = ((ulong)(uint)seed << 32 | (uint)index) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & 0x7FFFFFFF);
    }

    /// <summary>Equal numbers per class (± 1), in a seeded random order.</summary>
    private static int[] BalancedShuffledLabels(int count, int classes, int seed)
    {
        var labels = Enumerable.Range(0, count).Select(i => i % classes).ToArray();
        new Random(HashCode(seed, -3)).Shuffle(labels);
        return labels;
    }
}
