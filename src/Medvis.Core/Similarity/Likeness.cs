using System.Globalization;

namespace Medvis.Core.Similarity;

/// <summary>How like the training images one new image is, judged in the model's features and in its coarse pixels.</summary>
/// <param name="Features">Its judgement in the backbone's feature space.</param>
/// <param name="Pixels">Its judgement by colours and coarse layout (<see cref="CoarsePixels"/>).</param>
public sealed record Likeness(Novelty Features, Novelty Pixels)
{
    /// <summary>Unlike the training images in either: the map's class for it is not to be trusted.</summary>
    public bool Unlike => Features.Unlike || Pixels.Unlike;

    /// <summary>The larger of the two percentiles: the share of training images nearer to their own neighbours.</summary>
    public double Percentile => Math.Max(Features.Percentile, Pixels.Percentile);

    /// <summary>"unlike the training images in the model's features: farther from them than 99.7% of training images are from each other".</summary>
    public string Describe()
    {
        var share = (Percentile * 100).ToString(Unlike ? "F1" : "F0", CultureInfo.InvariantCulture) + "%";
        if (!Unlike) return $"like the training images ({share} of training images are nearer to each other)";
        var where = (Features.Unlike, Pixels.Unlike) switch
        {
            (true, true) => "in the model's features and in colour and layout",
            (true, false) => "in the model's features",
            _ => "in colour and layout",
        };
        return $"unlike the training images {where}: farther from them than {share} of training images are from each other";
    }
}
