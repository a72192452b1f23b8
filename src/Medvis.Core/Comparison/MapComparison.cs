using Medvis.Core.Evaluation;

namespace Medvis.Core.Comparison;

/// <summary>One map of a comparison over the shared images, laid onto the first map.</summary>
/// <param name="X">Aligned first coordinate of each shared image (shared order).</param>
/// <param name="Y">Aligned second coordinate of each shared image.</param>
/// <param name="Fit">The alignment onto the first map (identity, disparity 0, for the first map itself).</param>
/// <param name="Neighbourhoods">Each shared image's nearest shared images in this map.</param>
/// <param name="JaccardToFirst">Per shared image, the overlap of its neighbours here and in the first map.</param>
/// <param name="DisplacementToFirst">
/// Per shared image, the distance between its aligned place here and its place in the first map, in units of the
/// first map's spread (root mean square distance of its points from their centre).
/// </param>
public sealed record AlignedMap(float[] X, float[] Y, ProcrustesFit Fit, MapNeighbourhoods Neighbourhoods,
    double[] JaccardToFirst, double[] DisplacementToFirst);

/// <summary>An image of a comparison that moved between two maps.</summary>
/// <param name="SharedIndex">Its position among the shared images.</param>
/// <param name="DatasetIndex">Its dataset index.</param>
/// <param name="Displacement">How far it moved after alignment, in units of the first map's spread.</param>
/// <param name="Jaccard">Overlap of its neighbours in the two maps.</param>
public sealed record MovedImage(int SharedIndex, int DatasetIndex, double Displacement, double Jaccard);

/// <summary>2 or more maps of the same images, matched by dataset index and aligned to the first.</summary>
/// <param name="Shared">The images every map shows and where each sits in every map.</param>
/// <param name="Maps">Per input map, its aligned shared points and how they changed against the first map.</param>
public sealed record MapComparison(SharedImages Shared, IReadOnlyList<AlignedMap> Maps)
{
    /// <summary>
    /// Matches <paramref name="maps"/> by dataset index, aligns each to the first by Procrustes over the images they
    /// all show, and measures every image's neighbourhood change and displacement against the first.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two maps or fewer than two shared images.</exception>
    public static MapComparison Of(IReadOnlyList<IndexedMap> maps, int k = MapNeighbourhoods.DefaultK) => Of(MapAlignment.Of(maps), k);

    /// <summary>
    /// Adds to an <paramref name="alignment"/> every image's <paramref name="k"/> nearest neighbours in each map and
    /// how they changed against the first map (the slow part: seconds for a million points).
    /// </summary>
    public static MapComparison Of(MapAlignment alignment, int k = MapNeighbourhoods.DefaultK)
    {
        ArgumentNullException.ThrowIfNull(alignment);
        MapNeighbourhoods? firstNeighbourhoods = null;
        var aligned = new List<AlignedMap>(alignment.Maps.Count);
        foreach (var placement in alignment.Maps)
        {
            // Neighbours from the unaligned coordinates: a similarity transform keeps them, rounding to float would not always.
            var neighbourhoods = MapNeighbourhoods.Of(MapPoints.FromColumns(placement.OwnX, placement.OwnY), k);
            firstNeighbourhoods ??= neighbourhoods;
            var jaccard = ReferenceEquals(neighbourhoods, firstNeighbourhoods)
                ? Enumerable.Repeat(1.0, alignment.Shared.Count).ToArray()
                : NeighbourhoodChange.Jaccard(firstNeighbourhoods, neighbourhoods);
            aligned.Add(new AlignedMap(placement.X, placement.Y, placement.Fit, neighbourhoods, jaccard, placement.DisplacementToFirst));
        }
        return new MapComparison(alignment.Shared, aligned);
    }

    /// <summary>
    /// The <paramref name="count"/> images that moved farthest between the first map and map <paramref name="map"/>
    /// after alignment, farthest first; among equal moves the one whose neighbours changed more comes first.
    /// </summary>
    public IReadOnlyList<MovedImage> MovedMost(int map, int count)
    {
        if (map < 1 || map >= Maps.Count) throw new ArgumentOutOfRangeException(nameof(map), $"Map {map} is not one of the compared maps 1..{Maps.Count - 1}.");
        var target = Maps[map];
        var wanted = Math.Max(0, count);
        if (wanted == 0) return [];
        // Keeps the best few seen in a heap whose top is the worst kept: O(n log count), not a sort of every image.
        var order = Comparer<MovedImage>.Create(Ranks);
        var kept = new PriorityQueue<MovedImage, MovedImage>(Comparer<MovedImage>.Create((a, b) => Ranks(b, a)));
        for (var i = 0; i < Shared.Count; i++)
        {
            var moved = new MovedImage(i, Shared.DatasetIndices[i], target.DisplacementToFirst[i], target.JaccardToFirst[i]);
            if (kept.Count < wanted) kept.Enqueue(moved, moved);
            else if (Ranks(moved, kept.Peek()) < 0) kept.EnqueueDequeue(moved, moved);
        }
        var result = kept.UnorderedItems.Select(e => e.Element).ToList();
        result.Sort(order);
        return result;
    }

    // Farther first; then the one whose neighbours changed more; then the lower dataset index.
    private static int Ranks(MovedImage a, MovedImage b)
    {
        var byDisplacement = b.Displacement.CompareTo(a.Displacement);
        if (byDisplacement != 0) return byDisplacement;
        var byJaccard = a.Jaccard.CompareTo(b.Jaccard);
        return byJaccard != 0 ? byJaccard : a.DatasetIndex.CompareTo(b.DatasetIndex);
    }
}
