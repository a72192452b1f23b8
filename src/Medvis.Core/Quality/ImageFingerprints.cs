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
    /// The pixels of the given images (scaled to [0, 1]) projected on their top principal components, plus one
    /// last column: the length of what the components leave out. Distances there are the pixel distances minus
    /// most of the pixel noise, the neighbour search is 51 instead of C·H·W dimensions wide, and images unlike
    /// the data set's own (random noise, stripes) keep their distance through the residual column, where the
    /// components alone would put them near the mean image.
    /// </summary>
    public static float[,] PixelComponents(ImageDataset images, IReadOnlyList<int> rows, int components = DefaultComponents)
    {
        ArgumentNullException.ThrowIfNull(images);
        CheckRows(images, rows);
        if (components < 1) throw new ArgumentException($"At least one component is needed, got {components}.");
        var pixels = ImageFeatures.Pixels(images.Subset(rows));
        var scores = PrincipalComponents.Project(pixels, components);
        var kept = scores.GetLength(1);
        var centredNorms = CentredSquaredNorms(pixels);
        var result = new float[rows.Count, kept + 1];
        for (var i = 0; i < rows.Count; i++)
        {
            double explained = 0;
            for (var j = 0; j < kept; j++)
            {
                result[i, j] = (float)scores[i, j];
                explained += scores[i, j] * scores[i, j];
            }
            result[i, kept] = (float)Math.Sqrt(Math.Max(0, centredNorms[i] - explained));
        }
        return result;
    }

    /// <summary>Per row, the squared length of the row minus the mean row.</summary>
    private static double[] CentredSquaredNorms(float[,] points)
    {
        int n = points.GetLength(0), d = points.GetLength(1);
        var mean = new double[d];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < d; j++) mean[j] += points[i, j];
        for (var j = 0; j < d; j++) mean[j] /= n;
        var norms = new double[n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < d; j++) norms[i] += (points[i, j] - mean[j]) * (points[i, j] - mean[j]);
        return norms;
    }

    private static void CheckRows(ImageDataset images, IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
            if (row < 0 || row >= images.Count)
                throw new ArgumentException($"Image index {row} lies outside the {images.Count} images of {images.Name}.");
    }
}
