using Medvis.Core.Augmentation;
using Medvis.Core.Data;
using Medvis.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Evaluation;

/// <summary>Which embedding of a crop the positional probe reads.</summary>
public enum ProbeSpace
{
    /// <summary>The backbone's features, before the projection head (what a linear probe of a class reads).</summary>
    BackboneFeatures,
    /// <summary>The network's output (128-d after stage 1 alone, the 2-D map after stages 2–3).</summary>
    Output,
}

/// <summary>Settings of <see cref="PositionalProbe"/>.</summary>
/// <param name="Images">How many images (a seeded subset) give crops.</param>
/// <param name="CropsPerImage">Crops per image at random positions.</param>
/// <param name="CropFraction">Crop side as a fraction of the image side (ISImed's default).</param>
/// <param name="TestFraction">Share of the images whose crops are held out for scoring.</param>
/// <param name="Seed">Seeds the subset, the positions and the split.</param>
/// <param name="Space">Which embedding is regressed.</param>
public sealed record PositionalProbeOptions(int Images = 500, int CropsPerImage = 8, double CropFraction = 0.5,
    double TestFraction = 0.25, int Seed = 0, ProbeSpace Space = ProbeSpace.BackboneFeatures);

/// <summary>Held-out R² of crop position from crop embeddings: overall (mean of the axes), and for x and y.</summary>
public sealed record PositionalProbeResult(double RSquared, double RSquaredX, double RSquaredY, int Crops);

/// <summary>
/// The positional R² of the ISImed paper's analysis: crops at random positions are embedded, and a linear regression
/// from the embeddings to the crop centres is fitted on the crops of some images and scored on those of the others
/// (split by image, so no image is in both). 1 means the embedding is a linear positional code; 0 means position
/// cannot be read linearly from it.
/// </summary>
public static class PositionalProbe
{
    /// <summary>Scores <paramref name="model"/> on crops of <paramref name="data"/>.</summary>
    public static PositionalProbeResult Evaluate(TSimCneModel model, ImageDataset data, PositionalProbeOptions? options = null)
    {
        options ??= new PositionalProbeOptions();
        if (options.CropsPerImage < 1 || options.TestFraction is <= 0 or >= 1)
            throw new ArgumentException("The positional probe needs at least one crop per image and a test fraction in (0, 1).");
        var subset = data.Subset(SeededSubset.Choose(data.Count, options.Images, options.Seed));
        if (subset.Count < 4) throw new ArgumentException($"The positional probe needs at least 4 images, '{data.Name}' has {subset.Count}.");
        var (embeddings, centres) = EmbedCrops(model, subset, options);
        return HeldOutByImage(embeddings, centres, subset.Count, options.CropsPerImage, options.TestFraction);
    }

    /// <summary>
    /// R² of crop centres from embeddings whose rows hold <paramref name="cropsPerImage"/> crops per image, image by
    /// image: fitted on the crops of the later images, scored on those of the first <paramref name="testFraction"/>
    /// (at least 2 images each side), so no image is in both.
    /// </summary>
    internal static PositionalProbeResult HeldOutByImage(float[,] embeddings, float[,] centres, int images, int cropsPerImage, double testFraction)
    {
        var testImages = (int)Math.Clamp(Math.Round(images * testFraction), 2, images - 2);
        var k = cropsPerImage;
        int[] CropsOf(IEnumerable<int> chosen) => chosen.SelectMany(i => Enumerable.Range(i * k, k)).ToArray();
        var testRows = CropsOf(Enumerable.Range(0, testImages));
        var trainRows = CropsOf(Enumerable.Range(testImages, images - testImages));
        var r2 = LinearRegression.HeldOutRSquared(embeddings, centres, trainRows, testRows);
        return new PositionalProbeResult((r2[0] + r2[1]) / 2, r2[0], r2[1], embeddings.GetLength(0));
    }

    /// <summary>Embeddings (crop rows, image by image) and centres in pixels of random crops of every image.</summary>
    private static (float[,] Embeddings, float[,] Centres) EmbedCrops(TSimCneModel model, ImageDataset subset, PositionalProbeOptions options)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)options.Seed, CPU);
        var images = ImageTensors.ToUnitRange(tensor(subset.Pixels, [subset.Count, subset.Channels, subset.Height, subset.Width], ScalarType.Byte));
        var (crops, centres) = PositionCrops.Sample(images, options.CropsPerImage, options.CropFraction, generator);
        var chunks = new List<Tensor>();
        const int batch = 512;
        for (long start = 0; start < crops.shape[0]; start += batch)
            chunks.Add(model.EmbedUnitImages(crops.narrow(0, start, Math.Min(batch, crops.shape[0] - start)), options.Space == ProbeSpace.BackboneFeatures));
        return (ToMatrix(cat(chunks, 0)), ToMatrix(centres.reshape(-1, 2)));
    }

    internal static float[,] ToMatrix(Tensor values)
    {
        var (rows, columns) = ((int)values.shape[0], (int)values.shape[1]);
        var flat = values.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        var matrix = new float[rows, columns];
        Buffer.BlockCopy(flat, 0, matrix, 0, flat.Length * sizeof(float));
        return matrix;
    }
}
