using Medvis.Core.Data;
using Medvis.Core.Storage;
using Medvis.Core.Training;
using Medvis.Web.Auth;

namespace Medvis.Web.Results;

/// <summary>New images placed on an existing map.</summary>
public sealed record PlacedImages(ImageDataset Images, float[] X, float[] Y);

/// <summary>Places uploaded images (PNG/JPEG/TIFF files or one .npz) onto a finished run's map with its saved model.</summary>
public sealed class OutOfSampleService(IMedvisStore database, IUploadDecoder decoder, IDatasetOpener opener)
{
    /// <summary>Largest upload accepted per file.</summary>
    public const long MaxFileBytes = 200L * 1024 * 1024;

    /// <exception cref="InvalidOperationException">The run has no model, or the images do not fit it (message for the user).</exception>
    /// <exception cref="AccessDeniedException">The caller may not upload images (viewers, share links).</exception>
    public PlacedImages Place(Caller caller, int runId, IReadOnlyList<UploadedFile> files)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanPlaceImages(caller) && AccessRules.CanRead(caller, runId), caller, "place new images on maps");
        if (files.Count == 0) throw new InvalidOperationException("Choose at least one image or an .npz file.");
        var modelBytes = database.Artifacts.LoadModel(runId)
            ?? throw new InvalidOperationException($"Run {runId} has no trained model yet.");
        using var model = TSimCneModel.FromBytes(modelBytes, "cpu");
        var images = Decode(files, model);
        if (images.Channels != model.Channels || images.Height != model.Height || images.Width != model.Width)
            throw new InvalidOperationException(
                $"The images are {images.Channels}×{images.Height}×{images.Width} but the map was trained on {model.Channels}×{model.Height}×{model.Width}.");
        var coordinates = model.Transform(images);
        var x = new float[images.Count];
        var y = new float[images.Count];
        for (var i = 0; i < images.Count; i++) { x[i] = coordinates[i, 0]; y[i] = coordinates[i, 1]; }
        return new PlacedImages(images, x, y);
    }

    private ImageDataset Decode(IReadOnlyList<UploadedFile> files, TSimCneModel model)
    {
        var npz = files.Where(f => f.Name.EndsWith(".npz", StringComparison.OrdinalIgnoreCase)).ToList();
        if (npz.Count == 0) return decoder.Decode(files, model.Channels, model.Height, model.Width);
        if (files.Count > 1) throw new InvalidOperationException("Upload either one .npz file or image files, not both.");
        var path = Path.Combine(Path.GetTempPath(), $"medvis-upload-{Guid.NewGuid():N}.npz");
        try
        {
            File.WriteAllBytes(path, npz[0].Content);
            return opener.Open(path, model.Height).Load(DatasetSplit.All);
        }
        catch (DatasetFormatException e)
        {
            throw new InvalidOperationException($"{npz[0].Name}: {e.Problem}", e);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
