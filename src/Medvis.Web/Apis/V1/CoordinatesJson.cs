namespace Medvis.Web.Apis.V1;

/// <summary>One point of a map.</summary>
/// <param name="Point">Its place in the map (what the run's image and neighbour routes take).</param>
/// <param name="DatasetIndex">The image's index in the dataset split.</param>
/// <param name="Label">The image's class label.</param>
/// <param name="ClassName">That class's name.</param>
/// <param name="X">Map coordinate x.</param>
/// <param name="Y">Map coordinate y.</param>
/// <param name="File">The image's file for folder datasets, else null.</param>
public sealed record MapPointJson(int Point, int DatasetIndex, int Label, string ClassName, float X, float Y, string? File);

/// <summary>A run's map as JSON: one record per point, ready for <c>pandas.DataFrame(body["points"])</c>.</summary>
/// <param name="RunId">The run.</param>
/// <param name="ClassNames">Class names, by label.</param>
/// <param name="Points">The points, in map order.</param>
public sealed record CoordinatesJson(int RunId, IReadOnlyList<string> ClassNames, IReadOnlyList<MapPointJson> Points)
{
    /// <summary>The JSON form of the coordinates coords.csv holds.</summary>
    public static CoordinatesJson Of(int runId, Core.Evaluation.MapCoordinates map) => new(runId, map.ClassNames,
        [.. Enumerable.Range(0, map.Labels.Length).Select(i => new MapPointJson(i, map.Indices[i], map.Labels[i], map.ClassNames[map.Labels[i]],
            map.Coords[i, 0], map.Coords[i, 1], map.FileNames?[i]))]);
}
