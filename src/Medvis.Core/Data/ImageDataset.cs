namespace Medvis.Core.Data;

/// <summary>Which part of a dataset to load. <see cref="All"/> concatenates train, val and test in that order.</summary>
public enum DatasetSplit { Train, Val, Test, All }

/// <summary>
/// Images held in memory as uint8 N×C×H×W (C = 1 grey or 3 RGB), with one integer label per image.
/// Immutable once built; loaders produce it, the engine and the evaluation read it.
/// </summary>
public sealed class ImageDataset
{
    /// <summary>Creates a dataset and checks that the buffers agree with the stated shape.</summary>
    public ImageDataset(string name, byte[] pixels, int count, int channels, int height, int width,
        int[] labels, IReadOnlyList<string> classNames, int[]? sourceIndices = null, ImageGroups? groups = null)
    {
        if (channels is not (1 or 3))
            throw new ArgumentException($"{name}: images must have 1 or 3 channels, not {channels}.");
        if (count < 0 || height <= 0 || width <= 0)
            throw new ArgumentException($"{name}: invalid image shape {count}×{channels}×{height}×{width}.");
        if ((Int128)count * channels * height * width != pixels.LongLength)
            throw new ArgumentException($"{name}: {pixels.LongLength} pixel bytes do not match {count}×{channels}×{height}×{width}.");
        if (labels.Length != count)
            throw new ArgumentException($"{name}: {labels.Length} labels for {count} images.");
        foreach (var label in labels)
            if (label < 0 || label >= classNames.Count)
                throw new ArgumentException($"{name}: label {label} outside the {classNames.Count} classes.");
        if (groups is not null && groups.Ids.Length != count)
            throw new ArgumentException($"{name}: {groups.Ids.Length} group ids for {count} images.");
        Name = name;
        Groups = groups;
        Pixels = pixels;
        Count = count;
        Channels = channels;
        Height = height;
        Width = width;
        Labels = labels;
        ClassNames = classNames;
        SourceIndices = sourceIndices ?? Enumerable.Range(0, count).ToArray();
    }

    /// <summary>Human-readable name (file name, folder name or "synthetic demo").</summary>
    public string Name { get; }
    /// <summary>Pixel bytes, N×C×H×W, row-major.</summary>
    public byte[] Pixels { get; }
    public int Count { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    /// <summary>Class index per image, 0 ≤ label &lt; ClassNames.Count.</summary>
    public int[] Labels { get; }
    public IReadOnlyList<string> ClassNames { get; }
    /// <summary>Index of each image in the source it was loaded from (row of the npz split, file order of a folder).</summary>
    public int[] SourceIndices { get; }
    /// <summary>Images that belong together (a label table's group column), or null when every image stands alone.</summary>
    public ImageGroups? Groups { get; }
    /// <summary>Bytes per image (C·H·W).</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>The bytes of image <paramref name="index"/>, C×H×W.</summary>
    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * ImageSize, ImageSize);

    /// <summary>A new dataset holding the given images, in the given order.</summary>
    public ImageDataset Subset(IReadOnlyList<int> indices)
    {
        var pixels = new byte[(long)indices.Count * ImageSize];
        var labels = new int[indices.Count];
        var sources = new int[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            Image(indices[i]).CopyTo(pixels.AsSpan(i * ImageSize, ImageSize));
            labels[i] = Labels[indices[i]];
            sources[i] = SourceIndices[indices[i]];
        }
        return new ImageDataset(Name, pixels, indices.Count, Channels, Height, Width, labels, ClassNames, sources, Groups?.Subset(indices));
    }

    /// <summary>Number of images per class, indexed by class.</summary>
    public int[] CountPerClass()
    {
        var counts = new int[ClassNames.Count];
        foreach (var label in Labels) counts[label]++;
        return counts;
    }
}
