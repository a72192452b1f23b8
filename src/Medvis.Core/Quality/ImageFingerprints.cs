using System.Buffers.Binary;
using System.Security.Cryptography;
using Medvis.Core.Data;
using Medvis.Core.Evaluation;
using Medvis.Core.Evaluation.Tsne;

namespace Medvis.Core.Quality;

/// <summary>What the finders need from the images themselves: pixel hashes and compact pixel features.</summary>
public static class ImageFingerprints
{
    /// <summary>Principal components kept by <see cref="PixelComponents"/>.</summary>
    public const int DefaultComponents = 50;

    /// <summary>
    /// A 64-bit hash of each image's pixels (the first 8 bytes of their SHA-256), one per entry of
    /// <paramref name="rows"/>. Equal hashes mean identical pixels; a chance collision needs about 4 billion images.
    /// </summary>
    public static ulong[] PixelHashes(ImageDataset images, IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(images);
        CheckRows(images, rows);
        return rows.Select(r => BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(images.Image(r)))).ToArray();
    }

    /// <summary>
    /// The pixels of the given images (scaled to [0, 1]) projected on their top principal components. Distances
    /// there are the pixel distances minus most of the pixel noise, and the neighbour search is 50 instead of
    /// C·H·W dimensions wide.
    /// </summary>
    public static float[,] PixelComponents(ImageDataset images, IReadOnlyList<int> rows, int components = DefaultComponents)
    {
        ArgumentNullException.ThrowIfNull(images);
        CheckRows(images, rows);
        if (components < 1) throw new ArgumentException($"At least one component is needed, got {components}.");
        return PrincipalComponents.ToFloat(PrincipalComponents.Project(ImageFeatures.Pixels(images.Subset(rows)), components));
    }

    private static void CheckRows(ImageDataset images, IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
            if (row < 0 || row >= images.Count)
                throw new ArgumentException($"Image index {row} lies outside the {images.Count} images of {images.Name}.");
    }
}
