namespace Medvis.Core.Comparison;

/// <summary>
/// The images every map of a comparison shows, in ascending dataset index (so the result does not depend on the
/// order of points inside any map), with the position of each in every map.
/// </summary>
/// <param name="DatasetIndices">Dataset index of each shared image, ascending.</param>
/// <param name="PointsOfMap">Per map, the map point index of each shared image (same order as <paramref name="DatasetIndices"/>).</param>
public sealed record SharedImages(int[] DatasetIndices, int[][] PointsOfMap)
{
    /// <summary>Number of images every map shows.</summary>
    public int Count => DatasetIndices.Length;

    /// <summary>Matches the maps by dataset index, keeping only the images present in all of them.</summary>
    public static SharedImages Match(IReadOnlyList<IndexedMap> maps)
    {
        ArgumentNullException.ThrowIfNull(maps);
        if (maps.Count == 0) throw new ArgumentException("No maps to match.");
        for (var m = 0; m < maps.Count; m++) maps[m].Check($"map {m + 1}");
        var pointOf = maps.Select(PointByDatasetIndex).ToArray();
        var shared = maps[0].DatasetIndices.Where(index => pointOf.All(lookup => lookup.ContainsKey(index))).Order().ToArray();
        return new SharedImages(shared, pointOf.Select(lookup => shared.Select(index => lookup[index]).ToArray()).ToArray());
    }

    /// <summary>The shared images' coordinates in map <paramref name="map"/> as an N×2 array, in shared order.</summary>
    public float[,] Coordinates(IndexedMap map, int mapNumber)
    {
        var points = PointsOfMap[mapNumber];
        var coordinates = new float[points.Length, 2];
        for (var i = 0; i < points.Length; i++)
        {
            coordinates[i, 0] = map.X[points[i]];
            coordinates[i, 1] = map.Y[points[i]];
        }
        return coordinates;
    }

    private static Dictionary<int, int> PointByDatasetIndex(IndexedMap map)
    {
        var lookup = new Dictionary<int, int>(map.Count);
        for (var p = 0; p < map.Count; p++) lookup[map.DatasetIndices[p]] = p;
        return lookup;
    }
}
