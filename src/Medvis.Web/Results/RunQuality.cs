using Medvis.Core.Evaluation;
using Medvis.Core.Quality;
using Microsoft.Extensions.Caching.Memory;

namespace Medvis.Web.Results;

/// <summary>The data-quality finders of finished runs, computed on first request and cached like the maps they read.</summary>
public sealed class RunQuality(RunResults results, DatasetService datasets, IMemoryCache cache, ILogger<RunQuality> logger)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Fewer points than this leave no 15 neighbours to look at.</summary>
    public const int MinimumPoints = 16;

    /// <summary>The ranked lists of run <paramref name="runId"/>'s map, or null while it has no map of at least <see cref="MinimumPoints"/> points.</summary>
    public async Task<QualityReport?> ReportAsync(int runId)
    {
        if (cache.TryGetValue(("quality", runId), out QualityReport? cached)) return cached;
        if (results.Run(runId) is not { } run || results.Result(runId) is not { } result || result.Count < MinimumPoints) return null;
        // Seconds of CPU for a large map (a PCA of the pixels and three neighbour searches): off the circuit's thread.
        var report = await Task.Run(() => QualityAnalysis.Run(Input(run, result)));
        return cache.Set(("quality", runId), report, CacheLifetime);
    }

    /// <summary>The map with its images' pixel hashes and components; the map alone when it has no images or they cannot be read any more.</summary>
    private QualityInput Input(RunRecord run, RunResult result)
    {
        var input = new QualityInput(MapPoints.FromColumns(result.X, result.Y), result.Labels, result.ClassNames, result.DatasetIndices);
        // A map imported without a dataset has no images to hash.
        if (!run.HasImages()) return input;
        try
        {
            var images = datasets.Load(run.DatasetSpec, run.ImageSize, run.Split);
            return input with
            {
                // A large map's features would not be searched (QualityAnalysis.MaxFeaturePoints): no PCA of its pixels either.
                Features = QualityAnalysis.UsesFeatures(result.Count) ? ImageFingerprints.PixelComponents(images, result.DatasetIndices) : null,
                PixelHashes = ImageFingerprints.PixelHashes(images, result.DatasetIndices),
            };
        }
        catch (Exception e) when (UserErrors.IsUserError(e))
        {
            logger.LogWarning("Run {RunId}: quality finders use the map alone, its images cannot be read: {Problem}", run.Id, UserErrors.Describe(e));
            return input;
        }
    }
}
