using System.Collections.Concurrent;

namespace Medvis.Core.Data;

/// <summary>
/// Loads dataset splits so that concurrent requests for the same split share one load: the second caller waits for
/// the first one's result (or its error) instead of reading and decoding the same file again. Nothing is cached:
/// once a load ends, the next request loads afresh. One instance serves a whole host (the web app holds one).
/// </summary>
/// <param name="load">Loads one split: spec, split, image size (e.g. <see cref="DatasetCatalog.Load"/> with the host's limits).</param>
public sealed class SingleFlightDatasetLoader(Func<string, DatasetSplit, int, ImageDataset> load)
{
    private readonly ConcurrentDictionary<LoadKey, Lazy<Task<ImageDataset>>> _inFlight = new();

    /// <summary>A loader that opens specs with <see cref="DatasetCatalog"/> under <paramref name="limits"/>.</summary>
    public SingleFlightDatasetLoader(InputLimits limits)
        : this((spec, split, imageSize) => DatasetCatalog.Load(spec, split, imageSize, limits))
    {
    }

    /// <summary>Loads (or joins the load already running of) <paramref name="split"/> of <paramref name="spec"/>.</summary>
    /// <remarks>A joined load's exceptions reach every caller; the load itself runs on the thread pool.</remarks>
    public Task<ImageDataset> LoadAsync(string spec, DatasetSplit split, int imageSize)
    {
        var key = new LoadKey(Canonical(spec), split, imageSize);
        var flight = _inFlight.GetOrAdd(key, k => new Lazy<Task<ImageDataset>>(() => Run(k)));
        return flight.Value;
    }

    private async Task<ImageDataset> Run(LoadKey key)
    {
        try
        {
            return await Task.Run(() => load(key.Spec, key.Split, key.ImageSize)).ConfigureAwait(false);
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    /// <summary>
    /// One spelling per dataset: a full path for files and folders, a built-in name (demo specs) in lower case, and
    /// the trimmed text otherwise, e.g. <c>folder|labels=…</c>: the spec is also what is loaded, and paths are
    /// case-sensitive.
    /// </summary>
    private static string Canonical(string spec)
    {
        var trimmed = spec.Trim();
        if (File.Exists(trimmed) || Directory.Exists(trimmed)) return Path.GetFullPath(trimmed);
        return trimmed.IndexOfAny(['/', '\\', '|']) < 0 ? trimmed.ToLowerInvariant() : trimmed;
    }

    private sealed record LoadKey(string Spec, DatasetSplit Split, int ImageSize);
}
