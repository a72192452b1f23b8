using Medvis.Core.Data;

namespace Medvis.Web.Datasets;

// Narrow seams onto Core features that are built in parallel branches (data catalog, image codecs, evaluation).
// The web app depends only on these; CoreAdapters.cs binds them to Medvis.Core.

/// <summary>Opens a dataset by spec: "demo", an .npz path or an image folder path.</summary>
public interface IDatasetOpener
{
    /// <exception cref="DatasetFormatException">Bad or missing file, with the path and problem in one line.</exception>
    IDatasetSource Open(string spec, int imageSize);
}

/// <summary>One file a user uploaded.</summary>
public sealed record UploadedFile(string Name, byte[] Content);

/// <summary>Turns uploaded PNG/JPEG/TIFF images into a dataset shaped like a model's input.</summary>
public interface IUploadDecoder
{
    /// <exception cref="DatasetFormatException">An undecodable file, named.</exception>
    ImageDataset Decode(IReadOnlyList<UploadedFile> files, int channels, int height, int width);
}

/// <summary>Scores a 2-D map the way the paper does (kNN accuracy, silhouette; overall and per class).</summary>
public interface IMapMetrics
{
    /// <summary>The full metrics report as JSON (the same document the CLI writes), stored with the run.</summary>
    string EvaluateToJson(float[] x, float[] y, int[] labels, IReadOnlyList<string> classNames);

    /// <summary>The numbers the panels show, read from a stored report.</summary>
    RunMetrics Read(string json);
}

/// <summary>The numbers the metrics panels show. Undefined values (a class without test points) are null.</summary>
public sealed record RunMetrics(
    double KnnAccuracy,
    double? Silhouette,
    IReadOnlyList<string> ClassNames,
    double?[] KnnRecallPerClass,
    double?[] SilhouettePerClass,
    int K);
