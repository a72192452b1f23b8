using Medvis.Core.Data;

namespace Medvis.Core.Evaluation;

/// <summary>Feature matrices built from images for the baselines.</summary>
public static class ImageFeatures
{
    /// <summary>Pixels as an N×(C·H·W) matrix scaled to [0, 1], the input of "t-SNE of pixels".</summary>
    public static float[,] Pixels(ImageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var features = new float[dataset.Count, dataset.ImageSize];
        for (var i = 0; i < dataset.Count; i++)
        {
            var image = dataset.Image(i);
            for (var j = 0; j < image.Length; j++) features[i, j] = image[j] / 255f;
        }
        return features;
    }
}
