using Medvis.Core.Data;
using Medvis.Core.Storage;
using Microsoft.Extensions.Caching.Memory;

namespace Medvis.Web.Results;

/// <summary>Read access to finished runs (map, metrics, images behind each point), cached: many views read the same map.</summary>
public sealed class RunResults(MedvisDatabase database, DatasetService datasets, IMapMetrics metrics, IMemoryCache cache)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(10);

    public RunRecord? Run(int runId) => database.Runs.Get(runId);

    /// <summary>The stored map, or null while the run has none.</summary>
    public RunResult? Result(int runId) =>
        cache.TryGetValue(("result", runId), out RunResult? cached) ? cached
            : database.Artifacts.LoadResult(runId) is { } loaded ? cache.Set(("result", runId), loaded, CacheLifetime) : null;

    public RunMetrics? Metrics(int runId) =>
        database.Artifacts.LoadMetricsJson(runId) is { } json ? metrics.Read(json) : null;

    /// <summary>The image behind map point <paramref name="pointIndex"/> of a run, or null when out of range.</summary>
    public (ImageDataset Images, int Index)? ImageOfPoint(int runId, int pointIndex)
    {
        var run = Run(runId);
        var result = Result(runId);
        if (run is null || result is null || pointIndex < 0 || pointIndex >= result.Count) return null;
        return (datasets.Load(run.DatasetSpec, run.ImageSize, run.Split), result.DatasetIndices[pointIndex]);
    }

    public IReadOnlyList<AnnotationRecord> Tags(int runId) => database.Annotations.ForRun(runId);

    public AnnotationRecord Tag(int runId, string label, IReadOnlyCollection<int> points) => database.Annotations.Add(runId, label, points);
}
