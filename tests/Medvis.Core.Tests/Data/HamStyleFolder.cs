using Medvis.Core.Data.Metadata;
using SkiaSharp;

namespace Medvis.Core.Tests.Data;

/// <summary>
/// A made-up HAM10000-shaped dataset written by a test: JPEGs named <c>ISIC_00000nn.jpg</c> split over two part
/// folders (as HAM10000 ships them) and <c>metadata.csv</c> in the real table's layout
/// (<c>lesion_id,image_id,dx,dx_type,age,sex,localization</c>). Each class has its own colour; no data is committed.
/// </summary>
internal static class HamStyleFolder
{
    public static readonly string[] Classes = ["bkl", "mel", "nv"];

    /// <summary>The class of image <paramref name="i"/>.</summary>
    public static int LabelOf(int i) => i % Classes.Length;

    /// <summary>The image_id (file stem) of image <paramref name="i"/>.</summary>
    public static string IdOf(int i) => $"ISIC_{i:D7}";

    /// <summary>Writes <paramref name="images"/> JPEGs below <c>root/images</c> and <c>root/metadata.csv</c>; returns the CSV's path.</summary>
    public static string Write(string root, int images, int lesions, int side = 12)
    {
        var ids = Enumerable.Range(0, images).Select(IdOf).ToArray();
        var labels = Enumerable.Range(0, images).Select(LabelOf).ToArray();
        for (var i = 0; i < images; i++)
        {
            var part = i % 2 == 0 ? "HAM10000_images_part_1" : "HAM10000_images_part_2";
            var shade = (byte)(40 + 9 * (i % 7));
            var colour = LabelOf(i) switch { 0 => new SKColor(200, shade, 40), 1 => new SKColor(40, 200, shade), _ => new SKColor(shade, 40, 200) };
            WriteJpeg(Path.Combine(root, "images", part, ids[i] + ".jpg"), side, colour);
        }
        var csv = Path.Combine(root, "metadata.csv");
        File.WriteAllText(csv, SyntheticMetadata.HamTableCsv(ids, labels, Classes, lesions));
        return csv;
    }

    private static void WriteJpeg(string path, int side, SKColor colour)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(side, side);
        bitmap.Erase(colour);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
        File.WriteAllBytes(path, data.ToArray());
    }
}
