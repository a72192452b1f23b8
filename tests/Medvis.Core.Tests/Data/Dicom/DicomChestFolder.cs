using SkiaSharp;

namespace Medvis.Core.Tests.Data.Dicom;

/// <summary>
/// Generated chest-X-ray-like DICOM files and folders of them, for the folder, command line and web tests: acquisition
/// tags worth colouring by, and a patient's name and ID that must never come out again.
/// </summary>
internal static class DicomChestFolder
{
    /// <summary>The identifying values every generated file carries.</summary>
    public const string PatientName = "Doe^Jane", PatientId = "PID-0042";

    /// <summary>A 4×4 8-bit grey file at one level, window 128/256 (values shown as stored), with tags and identifiers.</summary>
    public static byte[] File(byte level, string modality = "DX", string view = "PA", string sex = "F", string age = "045Y",
        string syntax = DicomWriter.ExplicitLittle) =>
        Tagged(new DicomWriter { TransferSyntax = syntax }.Image(4, 4, 8, 8), modality, view, sex, age)
            .Text(DicomWriter.WindowCenter, "DS", "128").Text(DicomWriter.WindowWidth, "DS", "256")
            .NativePixels(Enumerable.Repeat(level, 16).ToArray()).Build();

    /// <summary>
    /// <paramref name="perClass"/> 16×16 files in each of "normal" (bright centre) and "effusion" (bright bottom), in
    /// every supported encoding by turns (explicit, implicit, deflated, RLE, JPEG baseline, JPEG lossless; 16-bit with
    /// a window and MONOCHROME1 among them), half of them named without an extension.
    /// </summary>
    public static void Write(string root, int perClass)
    {
        foreach (var (cls, index) in new[] { ("normal", 0), ("effusion", 1) })
        {
            Directory.CreateDirectory(Path.Combine(root, cls));
            for (var i = 0; i < perClass; i++)
            {
                var name = i % 2 == 0 ? $"{cls}-{i:D3}.dcm" : $"IM{index}{i:D4}";
                System.IO.File.WriteAllBytes(Path.Combine(root, cls, name), Xray(index == 1, i));
            }
        }
    }

    private static byte[] Xray(bool effusion, int i)
    {
        var values = new int[16 * 16];
        for (var y = 0; y < 16; y++)
            for (var x = 0; x < 16; x++)
            {
                var inside = effusion ? y > 10 : Math.Abs(x - 8) < 4 && Math.Abs(y - 8) < 4;
                values[y * 16 + x] = (inside ? 180 : 40) + (x * 7 + y * 3 + i * 5) % 30;
            }
        var view = i % 3 == 0 ? "AP" : "PA";
        var sex = i % 2 == 0 ? "F" : "M";
        var age = $"{30 + i % 50:D3}Y";
        var modality = i % 4 == 0 ? "CR" : "DX";
        DicomWriter Writer(string syntax, int bits, string photometric = "MONOCHROME2") =>
            Tagged(new DicomWriter { TransferSyntax = syntax }.Image(16, 16, bits, bits == 16 ? 12 : 8, photometric: photometric), modality, view, sex, age);
        return (i % 7) switch
        {
            0 => Writer(DicomWriter.ExplicitLittle, 8).NativePixels(values.Select(v => (byte)v).ToArray()).Build(),
            1 => Writer(DicomWriter.ImplicitLittle, 16).Text(DicomWriter.WindowCenter, "DS", "600").Text(DicomWriter.WindowWidth, "DS", "1600")
                .Text(DicomWriter.RescaleSlope, "DS", "1").Text(DicomWriter.RescaleIntercept, "DS", "-1024")
                .NativePixels(DicomWriter.Samples16(values.Select(v => v * 10))).Build(),
            2 => Writer(DicomWriter.DeflatedLittle, 8).NativePixels(values.Select(v => (byte)v).ToArray()).Build(),
            3 => Writer(DicomWriter.Rle, 16).Fragments([DicomWriter.RleFrame(DicomWriter.Samples16(values.Select(v => v * 10)), 256, 1, 2)]).Build(),
            4 => Writer(DicomWriter.JpegBaseline, 8).Fragments([DicomWriter.Jpeg(16, 16, (x, y) => Grey(values[y * 16 + x]), grey: true)]).Build(),
            5 => Writer(DicomWriter.JpegLosslessFirstOrder, 16)
                .Fragments([DicomWriter.JpegLosslessFrame(values.Select(v => v * 10).ToArray(), 16, 16, 1, 12, 1)]).Build(),
            _ => Writer(DicomWriter.ExplicitLittle, 8, "MONOCHROME1").NativePixels(values.Select(v => (byte)(255 - v)).ToArray()).Build(),
        };
    }

    private static SKColor Grey(int v) => new((byte)v, (byte)v, (byte)v);

    private static DicomWriter Tagged(DicomWriter writer, string modality, string view, string sex, string age) => writer
        .Text(DicomWriter.Modality, "CS", modality).Text(DicomWriter.BodyPart, "CS", "CHEST").Text(DicomWriter.ViewPosition, "CS", view)
        .Text(DicomWriter.PatientSex, "CS", sex).Text(DicomWriter.PatientAge, "AS", age).Text(DicomWriter.Manufacturer, "LO", "ACME Imaging")
        .Text(DicomWriter.StudyDate, "DA", "20190317")
        .Text(DicomWriter.PatientName, "PN", PatientName).Text(DicomWriter.PatientId, "LO", PatientId);
}
