using Medvis.Core.Maps;

namespace Medvis.Web.Results;

/// <summary>What an import gave: the new run, or the one-line reason it was refused.</summary>
public sealed record MapImportResult(RunRecord? Run, string? Error);

/// <summary>
/// Members' imports of maps computed elsewhere (a CSV of index, x, y): attached to a registered dataset split, whose
/// images the indices name, or standing alone. The web side of <see cref="MapImports"/>, as <c>medvis import-map</c>
/// is the command line's.
/// </summary>
public sealed class MapImportService(IMedvisStore database, DatasetService datasets, InputLimits limits, TrainingNotifier notifier)
{
    /// <summary>
    /// Reads the CSV from <paramref name="csv"/> (at most <see cref="InputLimits.MaxUploadBytes"/>) and stores the map
    /// as a finished run; <paramref name="datasetId"/> null imports a map without images.
    /// </summary>
    public async Task<MapImportResult> ImportAsync(Caller caller, Stream csv, string fileName, string? name, int? datasetId, DatasetSplit split,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(csv);
        AccessDeniedException.ThrowUnless(AccessRules.CanImportMaps(caller), caller, "import maps");
        var file = Path.GetFileName(string.IsNullOrWhiteSpace(fileName) ? "map.csv" : fileName);
        try
        {
            var target = MapImportTarget.Standalone;
            if (datasetId is { } id)
            {
                if (datasets.Get(id) is not { } dataset) return new MapImportResult(null, $"Dataset {id} does not exist.");
                target = new MapImportTarget(dataset, split, await Task.Run(() => datasets.Load(dataset, split), cancellation));
            }
            // Request bodies and browser files read asynchronously only: copy first (counted against the upload
            // limit), then parse on a pool thread (a million rows take a second or two).
            using var buffer = await CopyBoundedAsync(csv, file, cancellation);
            using var reader = new StreamReader(buffer);
            var run = await Task.Run(() => MapImports.Import(database, reader, file, name ?? "", target, new MapImporter(caller.Name, caller.UserId), limits), cancellation);
            notifier.Publish(new RunStatusUpdate(run.Id, RunStatus.Done, null));
            return new MapImportResult(run, null);
        }
        catch (Exception e) when (UserErrors.IsUserError(e))
        {
            return new MapImportResult(null, UserErrors.Describe(e));
        }
    }

    private async Task<MemoryStream> CopyBoundedAsync(Stream csv, string file, CancellationToken cancellation)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await csv.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + read > limits.MaxUploadBytes)
                throw new InvalidDataException($"{file}: the upload is over the limit of {limits.MaxUploadBytes} bytes ({InputLimits.HowToRaise(nameof(InputLimits.MaxUploadBytes))})");
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        return buffer;
    }
}
