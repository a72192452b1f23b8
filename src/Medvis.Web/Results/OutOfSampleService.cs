using Medvis.Core.Data;
using Medvis.Core.Similarity;
using Medvis.Core.Storage;
using Medvis.Core.Training;
using Medvis.Web.Auth;

namespace Medvis.Web.Results;

/// <summary>
/// New images placed on an existing map, each with its name, its nearest training images on the map (map point
/// indices, nearest first), the class those neighbours vote for, and whether it is like the training images at all
/// (<paramref name="Likeness"/>; null with <paramref name="NoveltyProblem"/> saying why when that could not be judged).
/// </summary>
public sealed record PlacedImages(ImageDataset Images, float[] X, float[] Y, IReadOnlyList<string> Names,
    IReadOnlyList<Neighbour>[] Neighbours, ClassVote[] Votes, IReadOnlyList<string> ClassNames,
    Likeness[]? Likeness = null, string? NoveltyProblem = null)
{
    /// <summary>Whether image <paramref name="i"/> is unlike the training images, so its class vote means nothing.</summary>
    public bool IsUnlike(int i) => Likeness?[i].Unlike == true;

    /// <summary>
    /// "name → class (80% of 15 neighbours)", what hovering over an uploaded image says; an image unlike the training
    /// images gets no class.
    /// </summary>
    public string Describe(int i) => IsUnlike(i)
        ? $"{Names[i]} → no class: {Likeness![i].Describe()}"
        : $"{Names[i]} → {ClassNames[Votes[i].Label]} ({Votes[i].Confidence:P0} of {Neighbours[i].Count} neighbours)";

    /// <summary>How many of the images are unlike the training images.</summary>
    public int UnlikeCount => Likeness?.Count(n => n.Unlike) ?? 0;
}

/// <summary>Places uploaded images (PNG/JPEG/TIFF files or one .npz) onto a finished run's map with its saved model.</summary>
public sealed class OutOfSampleService(IMedvisStore database, IUploadDecoder decoder, IDatasetOpener opener, RunSimilarity similarity)
{
    /// <summary>The most files one placement may carry (the panel's picker and the API alike).</summary>
    public const int MaxFiles = 500;

    /// <summary>Largest upload accepted per file.</summary>
    public const long MaxFileBytes = 200L * 1024 * 1024;

    /// <exception cref="InvalidOperationException">The run has no model, or the images do not fit it (message for the user).</exception>
    /// <exception cref="AccessDeniedException">The caller may not upload images (viewers, share links).</exception>
    public async Task<PlacedImages> PlaceAsync(Caller caller, int runId, IReadOnlyList<UploadedFile> files)
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
        var map = database.Artifacts.LoadResult(runId) ?? throw new InvalidOperationException($"Run {runId} has no map yet.");
        var neighbours = NeighbourSearch.Nearest(Core.Evaluation.MapPoints.FromColumns(map.X, map.Y), coordinates);
        var votes = neighbours.Select(n => ClassVote.Of(n.Select(p => map.Labels[p.Point]).ToArray(), map.ClassNames.Count)).ToArray();
        var placed = new PlacedImages(images, x, y, NamesOf(files, images.Count), neighbours, votes, map.ClassNames);
        try
        {
            var likeness = await similarity.LikenessAsync(runId);
            return placed with { Likeness = likeness.Judge(model.Features(images), images) };
        }
        catch (Exception e) when (e is InvalidOperationException || UserErrors.IsUserError(e))
        {
            return placed with { NoveltyProblem = $"Whether the images are like the training images could not be judged: {UserErrors.Describe(e)}" };
        }
    }

    /// <summary>The uploaded file names, or "upload.npz #3" for the images of one npz.</summary>
    private static List<string> NamesOf(IReadOnlyList<UploadedFile> files, int count) =>
        files.Count == count ? files.Select(f => f.Name).ToList()
            : Enumerable.Range(0, count).Select(i => $"{files[0].Name} #{i}").ToList();

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
