namespace Medvis.Core.Similarity;

/// <summary>How unlike the training images one new image is.</summary>
/// <param name="Distance">Distance from the image's features (scaled to unit length) to its k-th nearest training image's.</param>
/// <param name="Percentile">The share of training images whose own k-th nearest training image is nearer, in [0, 1].</param>
/// <param name="Unlike">Whether the distance is above the reference's threshold: the map's answer for this image is not to be trusted.</param>
public sealed record Novelty(double Distance, double Percentile, bool Unlike)
{
    /// <summary>"farther from the training images than 99.7% of them are from each other", what the page and CLI say.</summary>
    public string Describe() => Unlike
        ? $"unlike the training images: farther from them than {Percent(Percentile, "F1")} of training images are from each other"
        : $"like the training images ({Percent(Percentile, "F0")} of training images are nearer to each other)";

    private static string Percent(double share, string format) =>
        (share * 100).ToString(format, System.Globalization.CultureInfo.InvariantCulture) + "%";
}
