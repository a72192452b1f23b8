using Medvis.Core.Data;

namespace Medvis.Web.Datasets;

/// <summary>Binds the web app's seams (<see cref="IDatasetOpener"/>, <see cref="IUploadDecoder"/>) to Medvis.Core.</summary>
public static class CoreAdapters
{
    public static IServiceCollection AddCoreAdapters(this IServiceCollection services) => services
        .AddSingleton<IDatasetOpener, CoreDatasetOpener>()
        .AddSingleton<IUploadDecoder, CoreUploadDecoder>();
}

/// <summary>"demo" (the built-in synthetic dataset), .npz files and image folders through <see cref="DatasetCatalog"/>.</summary>
public sealed class CoreDatasetOpener : IDatasetOpener
{
    public IDatasetSource Open(string spec, int imageSize) => DatasetCatalog.Open(spec, imageSize);
}

/// <summary>Uploaded PNG/JPEG/TIFF files decoded to the model's square input size.</summary>
public sealed class CoreUploadDecoder : IUploadDecoder
{
    public ImageDataset Decode(IReadOnlyList<UploadedFile> files, int channels, int height, int width)
    {
        if (height != width) throw new InvalidOperationException($"The map's images are {width}×{height}; uploads need square images.");
        return ImageEncoding.DecodeImages(files.Select(f => (f.Name, f.Content)).ToList(), height, channels);
    }
}
