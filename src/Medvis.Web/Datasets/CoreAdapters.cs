using Microsoft.Extensions.DependencyInjection.Extensions;
using Medvis.Core.Data;
using Medvis.Core.Data.Metadata;

namespace Medvis.Web.Datasets;

/// <summary>Binds the web app's seams (<see cref="IDatasetOpener"/>, <see cref="IUploadDecoder"/>) to Medvis.Core.</summary>
public static class CoreAdapters
{
    /// <summary>Registers the adapters; the input and table limits default to <see cref="InputLimits.Default"/> and
    /// <see cref="MetadataLimits.Default"/> unless registered before.</summary>
    public static IServiceCollection AddCoreAdapters(this IServiceCollection services)
    {
        services.TryAddSingleton(InputLimits.Default);
        services.TryAddSingleton(MetadataLimits.Default);
        return services
            .AddSingleton<IDatasetOpener, CoreDatasetOpener>()
            .AddSingleton<IUploadDecoder, CoreUploadDecoder>();
    }
}

/// <summary>
/// "demo" (the built-in synthetic dataset), .npz files and image folders through <see cref="DatasetCatalog"/>; a
/// labelled folder's table is read under the same metadata limits as an uploaded table.
/// </summary>
public sealed class CoreDatasetOpener(InputLimits limits, MetadataLimits tableLimits) : IDatasetOpener
{
    public IDatasetSource Open(string spec, int imageSize) => DatasetCatalog.Open(spec, imageSize, limits, tableLimits);
}

/// <summary>Uploaded PNG/JPEG/TIFF files decoded to the model's square input size.</summary>
public sealed class CoreUploadDecoder(InputLimits limits) : IUploadDecoder
{
    public ImageDataset Decode(IReadOnlyList<UploadedFile> files, int channels, int height, int width)
    {
        if (height != width) throw new InvalidOperationException($"The map's images are {width}×{height}; uploads need square images.");
        return ImageEncoding.DecodeImages(files.Select(f => (f.Name, f.Content)).ToList(), height, channels, limits: limits);
    }
}
