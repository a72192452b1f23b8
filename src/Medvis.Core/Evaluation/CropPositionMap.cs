using System.Diagnostics;
using Medvis.Core.Augmentation;
using Medvis.Core.Data;
using Medvis.Core.Training;
using static TorchSharp.torch;

namespace Medvis.Core.Evaluation;

/// <summary>Settings of <see cref="CropPositionMap"/>.</summary>
/// <param name="Images">How many images (a seeded subset) give crops.</param>
/// <param name="GridSize">Crop centres per axis: a GridSize × GridSize grid spanning every position that keeps the crop inside the image.</param>
/// <param name="CropFraction">Crop side as a fraction of the image side; null: the model's ISImed crop size.</param>
/// <param name="TestFraction">Share of the images whose crops score the regressions.</param>
/// <param name="Seed">Seeds the image subset.</param>
public sealed record CropPositionOptions(int Images = 200, int GridSize = 5, double? CropFraction = null, double TestFraction = 0.25, int Seed = 0)
{
    /// <summary>One line naming the first invalid setting; null when all can be used.</summary>
    public string? Problem() =>
        Images < 4 ? $"the crop-position view needs at least 4 images, got {Images}"
        : GridSize is < 2 or > 16 ? $"the crop grid must have 2 to 16 positions per axis, got {GridSize}"
        : CropFraction is { } f && (!double.IsFinite(f) || f is <= 0 or >= 1) ? $"the crop size {f} must be a fraction of the image side in (0, 1)"
        : TestFraction is <= 0 or >= 1 ? $"the test fraction {TestFraction} must lie in (0, 1)"
        : null;
}

/// <summary>One crop of the view: which image, where the crop lies (0..1 across the image) and where the map puts it.</summary>
/// <param name="SourceIndex">The image's index in its split.</param>
/// <param name="Label">The image's class.</param>
/// <param name="CropX">Crop centre's x, 0 (left edge) … 1 (right edge).</param>
/// <param name="CropY">Crop centre's y, 0 (top) … 1 (bottom).</param>
/// <param name="MapX">Map coordinate x of the crop.</param>
/// <param name="MapY">Map coordinate y of the crop.</param>
public sealed record CropPoint(int SourceIndex, int Label, float CropX, float CropY, float MapX, float MapY);

/// <summary>The crop-position view of a model.</summary>
/// <param name="Points">Every crop, image by image.</param>
/// <param name="Features">Held-out R² of the crop centres from the backbone features (the positional code a linear probe reads).</param>
/// <param name="Map">Held-out R² of the crop centres from the 2-D map coordinates.</param>
/// <param name="GridSize">Crop centres per axis.</param>
/// <param name="CropFraction">Crop side as a fraction of the image side.</param>
/// <param name="Images">Images cropped.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record CropPositionResult(IReadOnlyList<CropPoint> Points, PositionalProbeResult Features, PositionalProbeResult Map,
    int GridSize, double CropFraction, int Images, double Seconds);

/// <summary>
/// The ISImed paper's view of a positional code: crops of a sample of images at a regular grid of positions go
/// through the trained network; their 2-D map coordinates show whether the map orders them by x and y, and a
/// linear regression from their backbone features to the crop centres (fitted on some images, scored on the rest)
/// says how much position the features hold.
/// </summary>
public static class CropPositionMap
{
    /// <summary>Crops <paramref name="data"/> on a grid and places every crop with <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">Invalid settings, or too few images.</exception>
    public static CropPositionResult Compute(TSimCneModel model, ImageDataset data, CropPositionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new CropPositionOptions();
        if (options.Problem() is { } problem) throw new ArgumentException(char.ToUpperInvariant(problem[0]) + problem[1..] + ".");
        if (data.Channels != model.Channels || data.Height != model.Height || data.Width != model.Width)
            throw new ArgumentException($"The model embeds {model.Channels}×{model.Height}×{model.Width} images; '{data.Name}' has {data.Channels}×{data.Height}×{data.Width}.");
        var watch = Stopwatch.StartNew();
        var subset = data.Subset(SeededSubset.Choose(data.Count, options.Images, options.Seed));
        if (subset.Count < 4) throw new ArgumentException($"The crop-position view needs at least 4 images, '{data.Name}' has {subset.Count}.");
        var fraction = options.CropFraction ?? model.Options.Isimed.CropFraction;
        var grid = options.GridSize;
        var (features, outputs, centres) = EmbedGrid(model, subset, grid, fraction);
        var perImage = grid * grid;
        var points = new List<CropPoint>(subset.Count * perImage);
        for (var row = 0; row < subset.Count * perImage; row++)
        {
            var image = row / perImage;
            points.Add(new CropPoint(subset.SourceIndices[image], subset.Labels[image],
                centres[row, 0] / data.Width, centres[row, 1] / data.Height, outputs[row, 0], outputs[row, 1]));
        }
        var featureR2 = PositionalProbe.HeldOutByImage(features, centres, subset.Count, perImage, options.TestFraction);
        var mapR2 = PositionalProbe.HeldOutByImage(outputs, centres, subset.Count, perImage, options.TestFraction);
        return new CropPositionResult(points, featureR2, mapR2, grid, fraction, subset.Count, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Backbone features, network outputs and centres (pixels) of the grid crops, image by image.</summary>
    private static (float[,] Features, float[,] Outputs, float[,] Centres) EmbedGrid(TSimCneModel model, ImageDataset subset, int grid, double fraction)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Normalised centres (−1..1 across the image) spanning ±(1 − fraction), x varying fastest.
        var steps = Enumerable.Range(0, grid).Select(i => (float)((1 - fraction) * (2.0 * i / (grid - 1) - 1))).ToArray();
        var layout = new float[grid * grid * 2];
        for (var j = 0; j < grid; j++)
            for (var i = 0; i < grid; i++) (layout[(j * grid + i) * 2], layout[(j * grid + i) * 2 + 1]) = (steps[i], steps[j]);
        var features = new List<Tensor>();
        var outputs = new List<Tensor>();
        var centres = new List<Tensor>();
        const int imagesPerBatch = 32;
        for (var start = 0; start < subset.Count; start += imagesPerBatch)
        {
            var count = Math.Min(imagesPerBatch, subset.Count - start);
            var bytes = subset.Pixels.AsSpan(start * subset.ImageSize, count * subset.ImageSize).ToArray();
            var images = ImageTensors.ToUnitRange(tensor(bytes, [count, subset.Channels, subset.Height, subset.Width], ScalarType.Byte));
            var at = tensor(layout, [1, grid * grid, 2]).expand(count, grid * grid, 2);
            var batch = PositionCrops.At(images, at, fraction);
            // EmbedUnitImages normalises its input in place: each pass gets its own copy of the crops.
            features.Add(model.EmbedUnitImages(batch.Crops.clone(), features: true));
            outputs.Add(model.EmbedUnitImages(batch.Crops, features: false));
            centres.Add(batch.Centres.reshape(-1, 2));
        }
        return (PositionalProbe.ToMatrix(cat(features, 0)), PositionalProbe.ToMatrix(cat(outputs, 0)), PositionalProbe.ToMatrix(cat(centres, 0)));
    }
}
