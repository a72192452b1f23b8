namespace Medvis.Core.Data.Dicom;

/// <summary>How a dataset's grey DICOM images are mapped to 8 bits.</summary>
public enum DicomWindowMode
{
    /// <summary>Each file's first Window Center/Width; its own minimum to maximum when it has none.</summary>
    FromFile,
    /// <summary>Each image's minimum to maximum, whatever window the file names.</summary>
    MinMax,
    /// <summary>One window for every image (<see cref="DicomWindow.Center"/>, <see cref="DicomWindow.Width"/>).</summary>
    Fixed,
}
