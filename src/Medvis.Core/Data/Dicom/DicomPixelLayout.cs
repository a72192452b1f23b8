namespace Medvis.Core.Data.Dicom;

/// <summary>The image pixel module's description of the samples, checked to be one this reader decodes.</summary>
internal sealed record DicomPixelLayout(int Rows, int Columns, int Samples, string Photometric, int BitsAllocated, int BitsStored,
    int HighBit, bool Signed, int PlanarConfiguration)
{
    /// <summary>Reads and checks the layout; the refusal names the attribute and the values that are supported.</summary>
    /// <exception cref="FormatException">For a layout this reader does not decode.</exception>
    public static DicomPixelLayout Read(DicomDataSet data)
    {
        var samples = data.UShort(DicomDataSet.SamplesPerPixel, 1);
        var photometric = data.Text(DicomDataSet.Photometric) ?? (samples == 3 ? "RGB" : "MONOCHROME2");
        var allocated = data.UShort(DicomDataSet.BitsAllocated, 8);
        var stored = data.UShort(DicomDataSet.BitsStored, allocated);
        var high = data.UShort(DicomDataSet.HighBit, stored - 1);
        var layout = new DicomPixelLayout(data.UShort(DicomDataSet.Rows, 0), data.UShort(DicomDataSet.Columns, 0), samples, photometric,
            allocated, stored, high, data.UShort(DicomDataSet.PixelRepresentation, 0) == 1, data.UShort(DicomDataSet.PlanarConfiguration, 0));
        if (samples is not (1 or 3)) throw new FormatException($"{samples} samples per pixel are not supported (1 or 3)");
        if (allocated is not (8 or 16)) throw new FormatException($"{allocated} bits allocated are not supported (8 or 16)");
        if (stored < 1 || high >= allocated || high + 1 < stored)
            throw new FormatException($"bits stored {stored} with high bit {high} do not fit {allocated} bits allocated");
        if (samples == 1 && photometric is not ("MONOCHROME1" or "MONOCHROME2"))
            throw new FormatException($"photometric interpretation {DicomDataSet.Printable(photometric)} is not supported for grey images (MONOCHROME1 or MONOCHROME2)");
        if (samples == 3 && allocated != 8) throw new FormatException($"colour images of {allocated} bits are not supported (8)");
        if (samples == 3 && photometric != "RGB" && !(data.Syntax.Pixels == DicomPixelEncoding.JpegBaseline && photometric.StartsWith("YBR_FULL", StringComparison.Ordinal)))
            throw new FormatException($"photometric interpretation {DicomDataSet.Printable(photometric)} is not supported for colour images (RGB, or YBR_FULL inside JPEG)");
        return layout;
    }
}
