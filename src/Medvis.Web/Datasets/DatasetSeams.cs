using Medvis.Core.Data;

namespace Medvis.Web.Datasets;

// Seams onto Core's dataset catalog and image codecs, so page tests can open and decode without real files;
// CoreAdapters.cs binds them to Medvis.Core.

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
