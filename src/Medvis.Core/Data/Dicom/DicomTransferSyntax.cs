namespace Medvis.Core.Data.Dicom;

/// <summary>
/// A transfer syntax the reader handles: whether the data set is explicit VR and deflated, and how its pixels are
/// stored. Everything else is refused by name (<see cref="Describe"/>), so a user learns what to convert from.
/// </summary>
internal sealed record DicomTransferSyntax(string Uid, string Name, bool ExplicitVr, bool Deflated, DicomPixelEncoding Pixels)
{
    public static readonly DicomTransferSyntax ImplicitLittle = new("1.2.840.10008.1.2", "implicit VR little endian", false, false, DicomPixelEncoding.Native);
    public static readonly DicomTransferSyntax ExplicitLittle = new("1.2.840.10008.1.2.1", "explicit VR little endian", true, false, DicomPixelEncoding.Native);
    public static readonly DicomTransferSyntax DeflatedLittle = new("1.2.840.10008.1.2.1.99", "deflated explicit VR little endian", true, true, DicomPixelEncoding.Native);
    public static readonly DicomTransferSyntax RleLossless = new("1.2.840.10008.1.2.5", "RLE lossless", true, false, DicomPixelEncoding.Rle);
    public static readonly DicomTransferSyntax JpegBaseline = new("1.2.840.10008.1.2.4.50", "JPEG baseline", true, false, DicomPixelEncoding.JpegBaseline);
    public static readonly DicomTransferSyntax JpegLossless = new("1.2.840.10008.1.2.4.57", "JPEG lossless", true, false, DicomPixelEncoding.JpegLossless);
    public static readonly DicomTransferSyntax JpegLosslessFirstOrder = new("1.2.840.10008.1.2.4.70", "JPEG lossless first-order", true, false, DicomPixelEncoding.JpegLossless);

    private static readonly DicomTransferSyntax[] Supported =
        [ImplicitLittle, ExplicitLittle, DeflatedLittle, RleLossless, JpegBaseline, JpegLossless, JpegLosslessFirstOrder];

    /// <summary>Names of syntaxes that are refused, so the refusal says what the file is.</summary>
    private static readonly Dictionary<string, string> Known = new(StringComparer.Ordinal)
    {
        ["1.2.840.10008.1.2.2"] = "explicit VR big endian",
        ["1.2.840.10008.1.2.4.51"] = "JPEG extended (12-bit)",
        ["1.2.840.10008.1.2.4.80"] = "JPEG-LS lossless",
        ["1.2.840.10008.1.2.4.81"] = "JPEG-LS near-lossless",
        ["1.2.840.10008.1.2.4.90"] = "JPEG 2000 lossless",
        ["1.2.840.10008.1.2.4.91"] = "JPEG 2000",
        ["1.2.840.10008.1.2.4.201"] = "HTJ2K lossless",
        ["1.2.840.10008.1.2.4.203"] = "HTJ2K",
    };

    /// <summary>The supported syntax with this UID, or null.</summary>
    public static DicomTransferSyntax? Find(string uid) => Array.Find(Supported, s => s.Uid == uid);

    /// <summary>"1.2.840.10008.1.2.4.70 (JPEG lossless …)": a UID with its name when it is a known one.</summary>
    public static string Describe(string uid) => Known.TryGetValue(uid, out var name) ? $"{uid} ({name})" : DicomDataSet.Printable(uid);

    /// <summary>The supported syntaxes' names, for refusals.</summary>
    public static string SupportedNames => string.Join(", ", Supported.Select(s => s.Name));
}
