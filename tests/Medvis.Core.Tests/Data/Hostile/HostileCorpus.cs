using System.Buffers.Binary;
using System.Text;
using Medvis.Core.Data;
using PureHDF;
using SkiaSharp;

namespace Medvis.Core.Tests.Data.Hostile;

/// <summary>
/// One malformed or hostile input: how to build it in a folder, and what must happen when it is loaded.
/// </summary>
/// <param name="Name">The case's name (also the theory's argument).</param>
/// <param name="Build">Writes the input under the given folder and returns the dataset spec (file or folder path).</param>
/// <param name="Refusal">A fragment the one-line error must contain; null when the input must be accepted safely.</param>
/// <param name="Limits">Limits other than the defaults, for cases about one limit that would take large files to reach.</param>
/// <param name="Upload">The encoded file, for cases that also go through the upload path.</param>
internal sealed record HostileCase(string Name, Func<string, string> Build, string? Refusal, InputLimits? Limits = null, byte[]? Upload = null)
{
    public override string ToString() => Name;
}

/// <summary>The corpus: npz, image-folder, TIFF, HDF5 and DICOM inputs that lie about sizes, are truncated or are not what they claim.</summary>
internal static class HostileCorpus
{
    private static readonly byte[] FourImages = new byte[4 * 4 * 4];
    private static readonly byte[] FourLabels = Int64([0, 1, 0, 1]);

    public static IReadOnlyList<HostileCase> Cases { get; } =
    [
        .. NpzCases(),
        .. ImageCases(),
        .. FolderCases(),
        .. Hdf5Cases(),
        .. HostileDicom.Cases(),
    ];

    public static HostileCase Find(string name) => Cases.Single(c => c.Name == name);

    private static IEnumerable<HostileCase> NpzCases()
    {
        yield return Npz("npz-label-two-billion", Images(), Labels(Int64([0, 2_000_000_000, 0, 1])), "MaxClasses");
        yield return Npz("npz-label-int-max", Images(), Labels(Int64([int.MaxValue, 0, 0, 1])), "MaxClasses");
        yield return Npz("npz-label-beyond-int64-as-uint64", Images(), NpzBuilder.Npy("<u8", [4], Int64([0, -1, 0, 1])), "MaxClasses");
        yield return Npz("npz-negative-label", Images(), Labels(Int64([0, -5, 0, 1])), "negative label -5");
        yield return Npz("npz-shape-product-overflows", NpzBuilder.Npy("|u1", [16, 1L << 30, 1L << 30], []), Labels(new byte[128]), "overflows");
        yield return Npz("npz-image-of-a-trillion-pixels", NpzBuilder.Npy("|u1", [4, 1L << 20, 1L << 20], []), Labels(FourLabels), "truncated data");
        yield return new("npz-image-over-pixel-cap", folder => Write(folder, "pixels.npz", Images(), Labels(FourLabels)), "MaxImagePixels",
            new InputLimits { MaxImagePixels = 8 });
        yield return Npz("npz-header-claims-million-images", NpzBuilder.Npy("|u1", [1_000_000, 512, 512], []), Labels(FourLabels), "truncated data");
        yield return Npz("npz-more-labels-than-allowed", Images(), NpzBuilder.Npy("|u1", [2_000_000], new byte[2_000_000]), "MaxImages");
        yield return new("npz-deflate-bomb", folder =>
        {
            var path = Path.Combine(folder, "bomb.npz");
            const int count = 120_000;
            HostileArchives.WriteDeflatedZeros(path, "train_images.npy", NpzBuilder.Npy("|u1", [count, 28, 28], []), count * 784L,
                ("train_labels.npy", NpzBuilder.Npy("|u1", [count], new byte[count])));
            return path;
        }, "MaxCompressionRatio");
        yield return new("npz-declares-4-gb-member", folder =>
        {
            var path = Write(folder, "declares-huge.npz", Images(), Labels(FourLabels), stored: true);
            HostileArchives.DeclareSize(path, "train_images.npy", uint.MaxValue - 1);
            return path;
        }, "MaxCompressionRatio");
        yield return new("npz-declares-fewer-bytes-than-it-holds", folder =>
        {
            var path = Write(folder, "declares-small.npz", Images(), Labels(FourLabels));
            HostileArchives.DeclareSize(path, "train_images.npy", 80);
            return path;
        }, "truncated .npy header");
        yield return Npz("npz-bad-magic", Encoding.ASCII.GetBytes("PK this is not numpy at all"), Labels(FourLabels), "bad magic");
        yield return Npz("npz-nested-zip", NestedZip(), Labels(FourLabels), "bad magic");
        yield return Npz("npz-fortran-order", NpzBuilder.Npy("|u1", [4, 4, 4], FourImages, fortran: true), Labels(FourLabels), "Fortran");
        yield return Npz("npz-float-images", NpzBuilder.Npy("<f4", [4, 4, 4], new byte[4 * 64]), Labels(FourLabels), "uint8");
        yield return Npz("npz-object-dtype-pickle", NpzBuilder.Npy("|O", [4], Encoding.ASCII.GetBytes("cos\nsystem\n(S'echo owned'\ntR.")), Labels(FourLabels), "unsupported .npy element type");
        yield return Npz("npz-nan-labels", Images(), NpzBuilder.Npy("<f8", [4], Enumerable.Repeat(double.NaN, 4).SelectMany(BitConverter.GetBytes).ToArray()), "expected integer labels");
        yield return Npz("npz-negative-dimension", NpzBuilder.Npy("|u1", [4, 4, 4], FourImages).Replace("(4, 4, 4)", "(-4, 4, 4)"), Labels(FourLabels), "bad dimension");
        yield return Npz("npz-header-length-4-gb", NpyWithHeaderLength(uint.MaxValue), Labels(FourLabels), "implausible .npy header length");
        yield return Npz("npz-five-dimensions", NpzBuilder.Npy("|u1", [4, 1, 4, 4, 1], FourImages), Labels(FourLabels), "must be shaped");
        yield return Npz("npz-structured-dtype", NpzBuilder.Npy("|u1", [4, 4, 4], FourImages).Replace("'descr': '|u1'", "'descr': [('a', '<u1')]"), Labels(FourLabels), "no 'descr'");
        yield return Npz("npz-version-9", NpzBuilder.Npy("|u1", [4, 4, 4], FourImages).Patch(6, 9), Labels(FourLabels), "unsupported .npy format version");
        yield return Npz("npz-count-mismatch", Images(), Labels(Int64([0, 1])), "4 images but train_labels.npy has 2 labels");
        yield return new("npz-zip-slip-names", folder =>
        {
            var path = Path.Combine(folder, "slip.npz");
            new NpzBuilder().Add("../../train_images.npy", Images()).Add("/etc/train_labels.npy", Labels(FourLabels)).Write(path);
            return path;
        }, "missing member train_images.npy");
        yield return File("npz-not-a-zip", "text.npz", Encoding.ASCII.GetBytes("hello, I am plain text"), "not a zip archive");
        yield return File("npz-empty-file", "empty.npz", [], "not a zip archive");
        yield return new("npz-truncated-archive", folder =>
        {
            var whole = Write(folder, "whole.npz", Images(), Labels(FourLabels));
            var bytes = System.IO.File.ReadAllBytes(whole);
            var path = Path.Combine(folder, "cut.npz");
            System.IO.File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
            return path;
        }, "not a zip archive");
        yield return Npz("npz-zero-images", NpzBuilder.Npy("|u1", [0, 4, 4], []), Labels([]), null);
    }

    private static IEnumerable<HostileCase> ImageCases()
    {
        yield return Image("png-claims-60000-square", "huge.png", HostileImages.PngClaiming(60_000, 60_000), "MaxImagePixels");
        yield return Image("png-claims-20000-square", "big.png", HostileImages.PngClaiming(20_000, 20_000), "MaxImagePixels");
        yield return Image("png-claims-int-max-wide", "wide.png", HostileImages.PngClaiming(int.MaxValue, 1), "not a decodable image");
        yield return Image("png-truncated", "cut.png", HostileImages.Encoded(64, 64, SKEncodedImageFormat.Png)[..60], null);
        yield return Image("jpeg-claims-65000-square", "huge.jpg", HostileImages.JpegClaiming(65_000, 65_000), "MaxImagePixels");
        yield return Image("jpeg-truncated", "cut.jpg", HostileImages.Encoded(64, 64, SKEncodedImageFormat.Jpeg)[..200], "not a decodable image");
        yield return Image("bmp-claims-100000-square", "huge.bmp", HostileImages.BmpClaiming(100_000, 100_000), "cannot decode image");
        yield return Image("bmp-negative-height", "upside.bmp", HostileImages.BmpClaiming(50_000, -50_000), "MaxImagePixels");
        yield return Image("gif-claims-65535-square", "huge.gif", HostileImages.GifClaiming(65_535, 65_535), "cannot decode image");
        yield return Image("webp-truncated", "cut.webp", HostileImages.Encoded(64, 64, SKEncodedImageFormat.Webp)[..20], "cannot decode image");
        yield return Image("noise-named-png", "noise.png", HostileImages.Noise(4096), "not a decodable image");
        yield return Image("empty-png", "empty.png", [], "not a decodable image");
        yield return Image("tiff-directory-of-65535-entries", "ifd.tif", HostileImages.TiffWithDirectoryOf(65_535), "MaxTiffDirectoryEntries");
        yield return Image("tiff-directory-past-the-end", "far.tif", HostileImages.TiffWithDirectoryPastTheEnd(), "corrupt or truncated TIFF");
        yield return Image("tiff-claims-100000-square", "huge.tif",
            HostileImages.Tiff((256, 4, 1, 100_000), (257, 4, 1, 100_000), (273, 4, 1, 8), (279, 4, 1, 64)), "MaxImagePixels");
        yield return Image("tiff-strip-offsets-claim-a-billion-values", "strips.tif",
            HostileImages.Tiff((256, 4, 1, 4), (257, 4, 1, 4), (273, 4, 1_000_000_000, 8), (279, 4, 1, 64)), "past the end of the file");
        yield return Image("tiff-unsupported-compression", "jpeg-in-tiff.tif",
            HostileImages.Tiff((256, 4, 1, 4), (257, 4, 1, 4), (259, 4, 1, 7), (273, 4, 1, 8), (279, 4, 1, 16)), "compression 7 is not supported");
        yield return Image("tiff-strip-beyond-the-file", "strip-far.tif",
            HostileImages.Tiff((256, 4, 1, 4), (257, 4, 1, 4), (273, 4, 1, 1_000_000), (279, 4, 1, 16)), "corrupt or truncated TIFF");
    }

    private static IEnumerable<HostileCase> FolderCases()
    {
        yield return new("folder-empty", folder => Directory.CreateDirectory(Path.Combine(folder, "empty")).FullName, "no class folders");
        yield return new("folder-classes-without-images", folder =>
        {
            var root = Path.Combine(folder, "no-images");
            Directory.CreateDirectory(Path.Combine(root, "a"));
            System.IO.File.WriteAllText(Path.Combine(root, "a", "notes.txt"), "not an image");
            return root;
        }, "no class folders");
        yield return new("folder-symlink-loop", folder =>
        {
            var root = Path.Combine(folder, "loop");
            Directory.CreateDirectory(Path.Combine(root, "cells"));
            System.IO.File.WriteAllBytes(Path.Combine(root, "cells", "a.png"), HostileImages.Encoded(8, 8, SKEncodedImageFormat.Png));
            Directory.CreateSymbolicLink(Path.Combine(root, "loop"), root);
            Directory.CreateSymbolicLink(Path.Combine(root, "cells", "again"), root);
            return root;
        }, null);
        yield return new("folder-image-linked-to-dev-zero", folder =>
        {
            var root = Path.Combine(folder, "zero");
            Directory.CreateDirectory(Path.Combine(root, "a"));
            System.IO.File.CreateSymbolicLink(Path.Combine(root, "a", "endless.png"), "/dev/zero");
            return root;
        }, "not a decodable image");
        yield return new("folder-dangling-image-link", folder =>
        {
            var root = Path.Combine(folder, "dangling");
            Directory.CreateDirectory(Path.Combine(root, "a"));
            System.IO.File.CreateSymbolicLink(Path.Combine(root, "a", "gone.png"), Path.Combine(folder, "nowhere.png"));
            return root;
        }, "cannot decode image");
        yield return new("folder-more-images-than-allowed", folder =>
        {
            var root = Path.Combine(folder, "many");
            Directory.CreateDirectory(Path.Combine(root, "a"));
            var png = HostileImages.Encoded(4, 4, SKEncodedImageFormat.Png);
            for (var i = 0; i < 6; i++) System.IO.File.WriteAllBytes(Path.Combine(root, "a", $"{i}.png"), png);
            return root;
        }, "MaxImages", new InputLimits { MaxImages = 5 });
        yield return new("folder-more-classes-than-allowed", folder =>
        {
            var root = Path.Combine(folder, "classes");
            var png = HostileImages.Encoded(4, 4, SKEncodedImageFormat.Png);
            for (var i = 0; i < 4; i++)
            {
                Directory.CreateDirectory(Path.Combine(root, $"c{i}"));
                System.IO.File.WriteAllBytes(Path.Combine(root, $"c{i}", "x.png"), png);
            }
            return root;
        }, "MaxClasses", new InputLimits { MaxClasses = 3 });
        yield return new("folder-image-file-over-size-limit", folder =>
        {
            var root = Path.Combine(folder, "fat");
            Directory.CreateDirectory(Path.Combine(root, "a"));
            System.IO.File.WriteAllBytes(Path.Combine(root, "a", "fat.png"), HostileImages.Noise(5000));
            return root;
        }, "MaxImageFileBytes", new InputLimits { MaxImageFileBytes = 4096 });
    }

    private static IEnumerable<HostileCase> Hdf5Cases()
    {
        yield return File("h5-garbage", "garbage_x.h5", HostileImages.Noise(8192), "not a readable HDF5 file");
        yield return File("h5-empty", "empty_x.h5", [], "not a readable HDF5 file");
        yield return new("h5-truncated", folder =>
        {
            var whole = Path.Combine(folder, "whole.h5");
            new H5File { ["x"] = new H5Dataset(new byte[4 * 16], fileDims: [4, 4, 4]), ["y"] = new byte[] { 0, 1, 0, 1 } }.Write(whole);
            var bytes = System.IO.File.ReadAllBytes(whole);
            var path = Path.Combine(folder, "cut.h5");
            System.IO.File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
            return path;
        }, "cut.h5");
        yield return new("h5-label-out-of-range", folder =>
        {
            var path = Path.Combine(folder, "labels.h5");
            new H5File { ["x"] = new H5Dataset(new byte[4 * 16], fileDims: [4, 4, 4]), ["y"] = new byte[] { 0, 1, 7, 1 } }.Write(path);
            return path;
        }, "PCam labels are 0 or 1");
        yield return new("h5-labels-claim-more-rows", folder =>
        {
            var path = Path.Combine(folder, "rows.h5");
            new H5File { ["x"] = new H5Dataset(new byte[4 * 16], fileDims: [4, 4, 4]), ["y"] = new byte[4096] }.Write(path);
            return path;
        }, "4096 labels for 4 images");
        yield return new("h5-image-over-pixel-cap", folder =>
        {
            var path = Path.Combine(folder, "wide.h5");
            new H5File { ["x"] = new H5Dataset(new byte[1 << 16], fileDims: [1, 1, 1 << 16]), ["y"] = new byte[] { 0 } }.Write(path);
            return path;
        }, "MaxImagePixels", new InputLimits { MaxImagePixels = 1 << 15 });
    }

    private static HostileCase Npz(string name, byte[] images, byte[] labels, string? refusal) =>
        new(name, folder => Write(folder, name + ".npz", images, labels), refusal);

    private static HostileCase File(string name, string fileName, byte[] bytes, string refusal) =>
        new(name, folder =>
        {
            var path = Path.Combine(folder, fileName);
            System.IO.File.WriteAllBytes(path, bytes);
            return path;
        }, refusal);

    /// <summary>A folder holding one class folder with the one image; the bytes also go through the upload path.</summary>
    private static HostileCase Image(string name, string fileName, byte[] bytes, string? refusal) =>
        new(name, folder =>
        {
            var root = Path.Combine(folder, name);
            Directory.CreateDirectory(Path.Combine(root, "cells"));
            System.IO.File.WriteAllBytes(Path.Combine(root, "cells", fileName), bytes);
            return root;
        }, refusal, Upload: bytes);

    private static string Write(string folder, string fileName, byte[] images, byte[] labels, bool stored = false)
    {
        var path = Path.Combine(folder, fileName);
        new NpzBuilder { Stored = stored }.Add("train_images.npy", images).Add("train_labels.npy", labels).Write(path);
        return path;
    }

    private static byte[] Images() => NpzBuilder.Npy("|u1", [4, 4, 4], FourImages);

    private static byte[] Labels(byte[] int64Values) => NpzBuilder.Npy("<i8", [int64Values.Length / 8], int64Values);

    private static byte[] Int64(long[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    private static byte[] NestedZip()
    {
        using var stream = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        using (var entry = zip.CreateEntry("train_images.npy").Open())
            entry.Write(Images());
        return stream.ToArray();
    }

    /// <summary>An .npy prefix of format version 2 whose header length field says <paramref name="length"/>.</summary>
    private static byte[] NpyWithHeaderLength(uint length)
    {
        var bytes = new byte[64];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0 }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), length);
        return bytes;
    }

    /// <summary>The bytes with <paramref name="from"/> replaced by <paramref name="to"/> in the (Latin-1) header text.</summary>
    private static byte[] Replace(this byte[] npy, string from, string to)
    {
        var text = Encoding.Latin1.GetString(npy);
        if (!text.Contains(from)) throw new InvalidOperationException($"'{from}' is not in the header");
        var replaced = Encoding.Latin1.GetBytes(text.Replace(from, to.PadRight(from.Length)));
        // Keep the declared header length true when the replacement is longer.
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(npy.AsSpan(8)) + (replaced.Length - npy.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(replaced.AsSpan(8), (ushort)headerLength);
        return replaced;
    }

    private static byte[] Patch(this byte[] bytes, int at, byte value)
    {
        var copy = bytes.ToArray();
        copy[at] = value;
        return copy;
    }
}
