namespace Medvis.Core.Data.Dicom;

/// <summary>Recognises DICOM files that have no image extension, as archives and PACS exports name them.</summary>
internal static class DicomFiles
{
    private const int ProbeLength = 132;

    /// <summary>Whether a file may hold DICOM by its name: a .dcm or .dicom extension, or <see cref="IsUnnamedDicom"/>.</summary>
    public static bool MayBeDicom(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".dcm" or ".dicom" || IsUnnamedDicom(path);

    /// <summary>
    /// Whether a file named without an extension, or with an all-digit one (UID names such as
    /// "1.2.840.113619.2.55.3.604688119"), starts with the DICOM preamble. Only regular files of at least the
    /// preamble's length are opened, so a pipe or a device in the folder is never read from.
    /// </summary>
    public static bool IsUnnamedDicom(string path)
    {
        var extension = Path.GetExtension(path);
        var unnamed = extension.Length == 0 || (extension.Length > 1 && extension[1..].All(char.IsAsciiDigit));
        if (!unnamed) return false;
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null || !info.Exists || info.Length < ProbeLength) return false;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            Span<byte> head = stackalloc byte[ProbeLength];
            return stream.ReadAtLeast(head, ProbeLength, throwOnEndOfStream: false) == ProbeLength && DicomParser.LooksLikeDicom(head);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
