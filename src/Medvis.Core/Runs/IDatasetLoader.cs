using Medvis.Core.Data;

namespace Medvis.Core.Runs;

/// <summary>Loads one split of a dataset; the web app's implementation caches, the command line's does not.</summary>
public interface IDatasetLoader
{
    /// <exception cref="DatasetFormatException">A missing or malformed dataset, naming the file.</exception>
    ImageDataset Load(string spec, int imageSize, DatasetSplit split);
}

/// <summary>Loads through <see cref="DatasetCatalog"/> every time, under <paramref name="limits"/> (the defaults when null).</summary>
public sealed class CatalogDatasetLoader(InputLimits? limits = null) : IDatasetLoader
{
    /// <inheritdoc />
    public ImageDataset Load(string spec, int imageSize, DatasetSplit split) => DatasetCatalog.Load(spec, split, imageSize, limits);
}
