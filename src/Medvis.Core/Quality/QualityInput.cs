namespace Medvis.Core.Quality;

/// <summary>What the finders look at: a labelled map and, optionally, image features and pixel hashes of the same points.</summary>
/// <param name="Map">N×2 map coordinates.</param>
/// <param name="Labels">Class index per point.</param>
/// <param name="ClassNames">Class names by index, for the reasons.</param>
/// <param name="Indices">Each point's index in its dataset split (null: the row itself).</param>
/// <param name="Features">N×D image features (e.g. <see cref="ImageFingerprints.PixelComponents"/>) to measure distances in beside the map; null: the map alone.</param>
/// <param name="PixelHashes">One hash of each point's pixels (<see cref="ImageFingerprints.PixelHashes"/>): equal hashes are exact duplicates; null: none known.</param>
public sealed record QualityInput(
    float[,] Map,
    int[] Labels,
    IReadOnlyList<string> ClassNames,
    int[]? Indices = null,
    float[,]? Features = null,
    ulong[]? PixelHashes = null);

/// <summary>Settings of the finders.</summary>
/// <param name="K">Neighbours looked at per point (15, as the kNN accuracy).</param>
/// <param name="Top">Items kept per finder.</param>
/// <param name="GroupRatio">A point and its nearest neighbour join one duplicate group when their distance is below this share of the typical nearest-neighbour distance.</param>
public sealed record QualityOptions(int K = 15, int Top = 150, double GroupRatio = 0.7)
{
    /// <summary>Throws a one-line <see cref="ArgumentException"/> for settings the finders cannot use.</summary>
    public QualityOptions Validate(int points)
    {
        if (K < 1 || K >= points) throw new ArgumentException($"k must lie between 1 and {points - 1} (the points minus one), got {K}.");
        if (Top < 1) throw new ArgumentException($"At least one item per list must be kept (top), got {Top}.");
        if (!(GroupRatio is > 0 and < 1)) throw new ArgumentException($"The duplicate group ratio must lie in (0, 1), got {GroupRatio}.");
        return this;
    }
}
