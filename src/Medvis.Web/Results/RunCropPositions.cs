using Medvis.Core.Evaluation;
using Medvis.Core.Storage;
using Medvis.Core.Training;
using Medvis.Web.Auth;
using Microsoft.Extensions.Caching.Memory;

namespace Medvis.Web.Results;

/// <summary>
/// The crop-position view of a finished run (see <see cref="CropPositionMap"/>): crops of a sample of its images at a
/// grid of positions placed by its saved model, with the R² of position from the backbone features. Computed on
/// request, off the circuit's thread, and cached like the maps.
/// </summary>
public sealed class RunCropPositions(IMedvisStore database, RunResults results, DatasetService datasets, IMemoryCache cache)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The default view: 200 images, 5 × 5 crops each, the run's ISImed crop size.</summary>
    public static CropPositionOptions Options { get; } = new();

    /// <summary>The view of run <paramref name="runId"/>.</summary>
    /// <exception cref="AccessDeniedException">The caller may not read the run.</exception>
    /// <exception cref="InvalidOperationException">The run has no map or model, or its images cannot be read (message for the user).</exception>
    public async Task<CropPositionResult> ViewAsync(Caller caller, int runId)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanRead(caller, runId), caller, $"read run {runId}");
        if (cache.TryGetValue(("crop-positions", runId), out CropPositionResult? cached) && cached is not null) return cached;
        if (results.Run(runId) is not { } run || results.Result(runId) is not { } result)
            throw new InvalidOperationException($"Run {runId} has no finished map.");
        var view = await Task.Run(() =>
        {
            var modelBytes = database.Artifacts.LoadModel(runId) ?? throw new InvalidOperationException($"Run {runId} has no saved model.");
            using var model = TSimCneModel.FromBytes(modelBytes, "cpu");
            try
            {
                var split = datasets.Load(run.DatasetSpec, run.ImageSize, run.Split);
                var images = Core.Data.ImageEncoding.WithChannels(split.Subset(result.DatasetIndices), model.Channels);
                return CropPositionMap.Compute(model, images, Options);
            }
            catch (Exception e) when (UserErrors.IsUserError(e))
            {
                throw new InvalidOperationException($"The crop-position view needs the run's images: {UserErrors.Describe(e)}", e);
            }
        });
        return cache.Set(("crop-positions", runId), view, CacheLifetime);
    }
}
