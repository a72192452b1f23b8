using Medvis.Core.Data;
using Medvis.Core.Evaluation;
using Medvis.Core.Similarity;
using Microsoft.Extensions.Options;

namespace Medvis.Web.Results;

/// <summary>
/// A point's nearest neighbours on the map and in the backbone's feature space, and how much the two lists share.
/// <see cref="FeatureProblem"/> says why the feature list is missing (no model, images unreadable).
/// </summary>
public sealed record PointNeighbours(
    int Point, IReadOnlyList<Neighbour> OnMap, IReadOnlyList<Neighbour>? InFeatures, NeighbourOverlap? Overlap, string? FeatureProblem);

/// <summary>
/// Nearest neighbours of map points. Map neighbours are searched on request; feature neighbours need the backbone
/// features of every point of the run, computed once with the run's saved model on first request and kept for the
/// last <see cref="MedvisOptions.FeatureCacheRuns"/> runs (a 17k-image map with a ResNet18 takes about 35 MB).
/// </summary>
public sealed class RunSimilarity(RunResults results, DatasetService datasets, IMedvisStore database, IOptions<MedvisOptions> options, ILogger<RunSimilarity> logger)
{
    private readonly BoundedCache<int, Task<float[,]>> _features = new(() => options.Value.FeatureCacheRuns);
    private readonly BoundedCache<int, Task<TrainingLikeness>> _likeness = new(() => options.Value.FeatureCacheRuns);

    /// <summary>The nearest map neighbours of point <paramref name="point"/> (fast: the map is 2-D); null when there is no such point.</summary>
    public IReadOnlyList<Neighbour>? OnMap(int runId, int point, int k = NeighbourSearch.DefaultK) =>
        results.Result(runId) is { Count: >= 2 } map && point >= 0 && point < map.Count
            ? NeighbourSearch.OfPoint(MapPoints.FromColumns(map.X, map.Y), point, k)
            : null;

    /// <summary>The neighbours of map point <paramref name="point"/> of run <paramref name="runId"/>; null when there is no such point.</summary>
    public async Task<PointNeighbours?> NeighboursAsync(int runId, int point, int k = NeighbourSearch.DefaultK)
    {
        if (results.Result(runId) is not { } map || OnMap(runId, point, k) is not { } onMap) return null;
        try
        {
            var features = await FeaturesAsync(runId, map);
            var inFeatures = await Task.Run(() => NeighbourSearch.OfPoint(features, point, k));
            return new PointNeighbours(point, onMap, inFeatures,
                NeighbourSearch.Overlap(onMap.Select(n => n.Point), inFeatures.Select(n => n.Point)), null);
        }
        catch (Exception e) when (e is InvalidOperationException || UserErrors.IsUserError(e))
        {
            // A failure is not kept: the next request tries again (the dataset may be back).
            _features.Remove(runId);
            return new PointNeighbours(point, onMap, null, null, UserErrors.Describe(e));
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // A native error from the model must not end the page: the map neighbours still stand.
            _features.Remove(runId);
            logger.LogError(e, "Backbone features of run {RunId} could not be computed", runId);
            return new PointNeighbours(point, onMap, null, null, $"The backbone features could not be computed ({e.GetType().Name}); see the server log.");
        }
    }

    /// <summary>
    /// What new images are judged against to say whether they are like the run's training images
    /// (<see cref="TrainingLikeness"/>), built once from the run's images and backbone features and kept beside them.
    /// </summary>
    /// <exception cref="InvalidOperationException">The run has no map or no model, or its dataset no longer holds its images (message for the user).</exception>
    public Task<TrainingLikeness> LikenessAsync(int runId)
    {
        var map = results.Result(runId) ?? throw new InvalidOperationException($"Run {runId} has no map yet.");
        var likeness = _likeness.GetOrAdd(runId, () => Task.Run(async () => TrainingLikeness.Build(await FeaturesAsync(runId, map), MapImages(runId, map))));
        // A failure is not kept: the next request tries again (the dataset may be back).
        _ = likeness.ContinueWith(_ => { _likeness.Remove(runId); _features.Remove(runId); },
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return likeness;
    }

    /// <summary>Whether the run's features are computed already (the page says "computing…" otherwise).</summary>
    public bool HasFeatures(int runId) => _features.TryGet(runId, out var task) && task.IsCompletedSuccessfully;

    /// <summary>The backbone features of every point of the map, in point order (computed once, off the caller's thread).</summary>
    private Task<float[,]> FeaturesAsync(int runId, RunResult map) =>
        _features.GetOrAdd(runId, () => Task.Run(() => ComputeFeatures(runId, map)));

    private float[,] ComputeFeatures(int runId, RunResult map)
    {
        var modelBytes = database.Artifacts.LoadModel(runId) ?? throw new InvalidOperationException($"Run {runId} has no saved model.");
        var images = MapImages(runId, map);
        using var model = TSimCneModel.FromBytes(modelBytes, "cpu");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var features = model.Features(ImageEncoding.WithChannels(images, model.Channels));
        logger.LogInformation("Backbone features of run {RunId}: {Count}×{Dim} in {Seconds:F1} s", runId, features.GetLength(0), features.GetLength(1), clock.Elapsed.TotalSeconds);
        return features;
    }

    /// <summary>The images of the map's points, in point order.</summary>
    private ImageDataset MapImages(int runId, RunResult map)
    {
        var run = results.Run(runId) ?? throw new InvalidOperationException($"Run {runId} does not exist.");
        var images = datasets.Load(run.DatasetSpec, run.ImageSize, run.Split);
        if (map.DatasetIndices.Any(i => i < 0 || i >= images.Count))
            throw new InvalidOperationException($"The dataset of run {runId} no longer holds the images of its map.");
        return images.Subset(map.DatasetIndices);
    }
}

/// <summary>
/// A small least-recently-used cache: at most <c>capacity()</c> entries, the oldest used dropped first. Thread-safe;
/// the value factory runs under the lock, so it should only start work (return a task).
/// </summary>
public sealed class BoundedCache<TKey, TValue>(Func<int> capacity) where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly LinkedList<(TKey Key, TValue Value)> _order = new();
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _entries = [];

    /// <summary>Entries held now.</summary>
    public int Count { get { lock (_lock) return _entries.Count; } }

    /// <summary>The cached value (marked as just used), or a new one from <paramref name="create"/>.</summary>
    public TValue GetOrAdd(TKey key, Func<TValue> create)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                return node.Value.Value;
            }
            var value = create();
            _entries[key] = _order.AddFirst((key, value));
            while (_entries.Count > Math.Max(1, capacity()))
            {
                var oldest = _order.Last!;
                _order.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }
            return value;
        }
    }

    /// <summary>The cached value without changing its age.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        lock (_lock)
        {
            var found = _entries.TryGetValue(key, out var node);
            value = found ? node!.Value.Value : default!;
            return found;
        }
    }

    /// <summary>Drops an entry.</summary>
    public void Remove(TKey key)
    {
        lock (_lock)
            if (_entries.Remove(key, out var node)) _order.Remove(node);
    }
}
