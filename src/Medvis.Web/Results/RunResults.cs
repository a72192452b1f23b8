using Medvis.Core.Data;
using Medvis.Core.Evaluation;
using Medvis.Core.Storage;
using Medvis.Web.Auth;
using Microsoft.Extensions.Caching.Memory;

namespace Medvis.Web.Results;

/// <summary>Read access to finished runs (map, metrics, images behind each point), cached: many views read the same map.</summary>
public sealed class RunResults(IMedvisStore database, DatasetService datasets, IMemoryCache cache)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Every run, newest state, in the order the repository keeps them.</summary>
    public IReadOnlyList<RunRecord> Runs() => database.Runs.All();

    /// <summary>One run, or null.</summary>
    public RunRecord? Run(int runId) => database.Runs.Get(runId);

    /// <summary>The reproducibility card of a finished run, or null (runs finished before cards existed have none).</summary>
    public RunCard? Card(int runId) =>
        database.Artifacts.LoadCardJson(runId) is { } json ? RunCard.FromJson(json, $"run {runId}") : null;

    /// <summary>The stored map, or null while the run has none.</summary>
    public RunResult? Result(int runId) =>
        cache.TryGetValue(("result", runId), out RunResult? cached) ? cached
            : database.Artifacts.LoadResult(runId) is { } loaded ? cache.Set(("result", runId), loaded, CacheLifetime) : null;

    /// <summary>
    /// The map with its labels, class names and, for folder datasets, each point's file: what coords.csv and the REST
    /// API's coordinates hold; null while the run has no map.
    /// </summary>
    public MapCoordinates? Coordinates(int runId) =>
        Result(runId) is { } map
            ? new MapCoordinates(map.DatasetIndices, map.Labels, map.ClassNames, MapPoints.FromColumns(map.X, map.Y)) { FileNames = PointFileNames(runId) }
            : null;

    /// <summary>The metrics report as the run stored it (JSON), or null.</summary>
    public string? MetricsJson(int runId) => database.Artifacts.LoadMetricsJson(runId);

    /// <summary>The trained model's bytes (the model.bin <c>medvis train</c> writes), or null when the run has none.</summary>
    public byte[]? Model(int runId) => database.Artifacts.LoadModel(runId);

    /// <summary>The numbers the metrics panels show, or null when the run stored none.</summary>
    public RunMetrics? Metrics(int runId) =>
        database.Artifacts.LoadMetricsJson(runId) is { } json ? RunMetricsReader.Read(json) : null;

    /// <summary>The full metrics report the run stored (per-class rows matched by name), or null.</summary>
    public MetricsReport? MetricsReport(int runId) =>
        database.Artifacts.LoadMetricsJson(runId) is { } json ? Core.Evaluation.MetricsReport.FromJson(json) : null;

    /// <summary>The image behind map point <paramref name="pointIndex"/> of a run, or null when out of range.</summary>
    public (ImageDataset Images, int Index)? ImageOfPoint(int runId, int pointIndex)
    {
        var run = Run(runId);
        var result = Result(runId);
        if (run is null || !run.HasImages() || result is null || pointIndex < 0 || pointIndex >= result.Count) return null;
        return (datasets.Load(run.DatasetSpec, run.ImageSize, run.Split), result.DatasetIndices[pointIndex]);
    }

    /// <summary>
    /// Per map point, the file its image came from (a folder dataset's relative path), so a point can be traced to
    /// its file; null for other datasets and maps without images.
    /// </summary>
    public IReadOnlyList<string>? PointFileNames(int runId)
    {
        var run = Run(runId);
        var result = Result(runId);
        if (run is null || !run.HasImages() || result is null) return null;
        try
        {
            var images = datasets.Load(run.DatasetSpec, run.ImageSize, run.Split);
            return datasets.FileNames(run.DatasetSpec, run.ImageSize, images) is { } names
                ? result.DatasetIndices.Select(i => i >= 0 && i < names.Count ? names[i] : "").ToArray()
                : null;
        }
        catch (Exception e) when (Core.Runs.UserErrors.IsUserError(e))
        {
            return null; // the images are gone or unreadable: the map still shows, without file names
        }
    }

    /// <summary>Loads the images behind a run's map into the dataset cache (for large maps, before the first hover); errors show later, on hover.</summary>
    public void WarmImages(int runId)
    {
        try
        {
            ImageOfPoint(runId, 0);
        }
        catch (Exception e) when (Core.Runs.UserErrors.IsUserError(e))
        {
            // The thumbnail endpoint reports the same problem when a point is hovered.
        }
    }

    public IReadOnlyList<AnnotationRecord> Tags(int runId) => database.Annotations.ForRun(runId);

    /// <summary>The 2-D snapshots the run kept for its replay, oldest first (empty for runs trained before the replay existed).</summary>
    public IReadOnlyList<SnapshotPoint> Snapshots(int runId) => database.Snapshots.ForRun(runId);

    /// <summary>Whether the run kept any snapshot for a replay (reads no points).</summary>
    public bool HasSnapshots(int runId) => database.Snapshots.EpochsOf(runId).Count > 0;

    /// <summary>Stores a tag on a run's points.</summary>
    /// <exception cref="AccessDeniedException">The caller may not tag (viewers, share links).</exception>
    public AnnotationRecord Tag(Caller caller, int runId, string label, IReadOnlyCollection<int> points)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanTag(caller) && AccessRules.CanRead(caller, runId), caller, "tag points");
        return database.Annotations.Add(runId, label, points);
    }
}
