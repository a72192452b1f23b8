using Medvis.Core.Data;
using Medvis.Core.Runs;

namespace Medvis.Core.Tests.Runs;

/// <summary>A dataset loader that hands out one in-memory dataset whatever is asked for.</summary>
internal sealed class FixedDatasetLoader(ImageDataset data) : IDatasetLoader
{
    public ImageDataset Load(string spec, int imageSize, DatasetSplit split) => data;
}
