namespace Medvis.Core.Data.Dicom;

/// <summary>How the pixel data of a transfer syntax is stored.</summary>
internal enum DicomPixelEncoding
{
    /// <summary>Uncompressed samples.</summary>
    Native,
    /// <summary>RLE lossless fragments (PS3.5 annex G).</summary>
    Rle,
    /// <summary>JPEG baseline (process 1) fragments, decoded by SkiaSharp.</summary>
    JpegBaseline,
    /// <summary>Lossless JPEG (process 14) fragments, decoded by <see cref="DicomJpegLossless"/>.</summary>
    JpegLossless,
}
