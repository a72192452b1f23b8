using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Medvis.Core.Data;
using Medvis.Core.Storage;
using Medvis.Web.Auth;
using Medvis.Web.Datasets;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Medvis.Web.Tests.Integration;

/// <summary>Members upload an npz or a zip of class folders; hostile archives are refused before anything is written.</summary>
public sealed class DatasetUploadTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private string UploadFolder => Path.Combine(_dir.Path, "uploads");

    private MedvisAppFactory App(IReadOnlyDictionary<string, string?>? settings = null) => new(_dir.File("medvis.db"), settings);

    private static byte[] Png(byte shade)
    {
        using var bitmap = new SKBitmap(12, 12);
        bitmap.Erase(new SKColor(shade, (byte)(255 - shade), 90));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A zip of the given entries: name → content (null: a symbolic link to /etc/passwd).</summary>
    private static byte[] Zip(params (string Name, byte[]? Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                if (content is null) entry.ExternalAttributes = unchecked((int)0xA1FF0000u);
                using var stream = entry.Open();
                stream.Write(content ?? "/etc/passwd"u8.ToArray());
            }
        }
        return buffer.ToArray();
    }

    private static (string, byte[]?)[] ClassFolders(string prefix = "") =>
    [
        ($"{prefix}cells/a.png", Png(10)), ($"{prefix}cells/b.png", Png(20)), ($"{prefix}cells/c.png", Png(30)),
        ($"{prefix}debris/a.png", Png(200)), ($"{prefix}debris/b.png", Png(210)), ($"{prefix}debris/c.png", Png(220)),
    ];

    private static Task<RegistrationResult> Upload(MedvisAppFactory app, UserRole role, string name, byte[] content) =>
        app.Services.GetRequiredService<DatasetUploads>().UploadAsync(app.CallerOf(role), name, new MemoryStream(content));

    private string[] FilesInUploads() => Directory.Exists(UploadFolder) ? Directory.GetFiles(UploadFolder, "*", SearchOption.AllDirectories) : [];

    [Theory]
    [InlineData("")]
    [InlineData("my-set/")]
    public async Task AMemberUploadsAZipOfClassFoldersAndItIsRegisteredLikeAnyDataset(string prefix)
    {
        await using var app = App();
        var member = app.CallerOf(UserRole.Member);

        var result = await Upload(app, UserRole.Member, "cells.zip", Zip([.. ClassFolders(prefix), ("__MACOSX/cells/._a.png", [0]), ("notes.txt", [1])]));

        Assert.True(result.Succeeded, result.Error);
        var dataset = result.Dataset!;
        Assert.Equal(["cells", "debris"], dataset.ClassNames);
        Assert.Equal([3, 3], dataset.CountsPerSplit[nameof(DatasetSplit.Train)]);
        Assert.True(DataRoots.IsWithin(dataset.Spec, UploadFolder), dataset.Spec);
        Assert.Equal(6, FilesInUploads().Length); // the images only: no zip, no clutter
        Assert.Equal(6, app.Services.GetRequiredService<DatasetService>().Load(dataset, DatasetSplit.Train).Count);
        Assert.Contains(app.Services.GetRequiredService<IMedvisStore>().Audit.Latest(5),
            a => a.Action == "uploaded dataset" && a.UserName == member.Name);
    }

    [SkippableFact]
    public async Task AMemberUploadsAnNpzOverHttpAndAViewerOrAnAnonymousClientCannot()
    {
        var npz = await File.ReadAllBytesAsync(SharedData.File("breastmnist.npz"));
        await using var app = App();
        HttpResponseMessage Post(HttpClient client) =>
            client.PostAsync("/api/datasets/upload?name=breast.npz", new ByteArrayContent(npz) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }).Result;

        using var viewer = app.CreateClientAs(UserRole.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, Post(viewer).StatusCode);
        using var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, Post(anonymous).StatusCode);
        Assert.Empty(FilesInUploads());
        await Assert.ThrowsAsync<AccessDeniedException>(() => Upload(app, UserRole.Viewer, "breast.npz", npz));

        using var member = app.CreateClientAs(UserRole.Member);
        var response = Post(member);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var stored = Assert.Single(app.Services.GetRequiredService<IMedvisStore>().Datasets.All());
        Assert.Equal(2, stored.ClassNames.Count);
        Assert.Single(FilesInUploads());
    }

    /// <summary>Hostile archives and names: (file name, archive, what the refusal must say).</summary>
    public static TheoryData<string, byte[], string> HostileUploads() => new()
    {
        { "slip.zip", Zip([.. ClassFolders(), ("../evil.png", Png(1))]), "unsafe name" },
        { "deep-slip.zip", Zip([.. ClassFolders(), ("cells/../../../evil.png", Png(1))]), "unsafe name" },
        { "absolute.zip", Zip([.. ClassFolders(), ("/tmp/evil.png", Png(1))]), "unsafe name" },
        { "backslash.zip", Zip([.. ClassFolders(), ("cells\\..\\..\\evil.png", Png(1))]), "unsafe name" },
        { "drive.zip", Zip([.. ClassFolders(), ("C:/evil.png", Png(1))]), "unsafe name" },
        { "link.zip", Zip([.. ClassFolders(), ("cells/passwd.png", null)]), "symbolic link" },
        { "flat.zip", Zip(("a.png", Png(1)), ("b.png", Png(2))), "not in a class folder" },
        { "too-deep.zip", Zip(("a/b/c/d.png", Png(1)), ("a/b/c/e.png", Png(2))), "not in a class folder" },
        { "empty.zip", Zip(("readme.txt", [1, 2, 3])), "no images" },
        { "not-a.zip", "this is not a zip archive"u8.ToArray(), "not a readable zip" },
        { "broken.npz", "PK not really"u8.ToArray(), "broken.npz" },
        { "evil.exe", [1, 2, 3], "not an upload name" },
        { "../../escape.npz", [1, 2, 3], "" },
        { "empty.npz", [], "empty" },
    };

    [Theory]
    [MemberData(nameof(HostileUploads))]
    public async Task HostileUploadsAreRefusedWithOneLineAndLeaveNothingBehind(string name, byte[] content, string expected)
    {
        await using var app = App();
        var outside = Path.Combine(_dir.Path, "evil.png");

        var result = await Upload(app, UserRole.Member, name, content);

        Assert.False(result.Succeeded, $"{name} was accepted");
        Assert.Contains(expected, result.Error);
        Assert.DoesNotContain('\n', result.Error!);
        Assert.DoesNotContain(UploadFolder, result.Error!);
        Assert.Empty(FilesInUploads());
        Assert.False(File.Exists(outside));
        Assert.False(File.Exists("/tmp/evil.png"));
        Assert.Empty(app.Services.GetRequiredService<IMedvisStore>().Datasets.All());
    }

    [Fact]
    public async Task UploadsOverTheLimitsAreRefusedNamingTheSetting()
    {
        var images = ClassFolders();
        await using var app = App(new Dictionary<string, string?>
        {
            ["Medvis:InputLimits:MaxImages"] = "4",
            ["Medvis:InputLimits:MaxUploadBytes"] = "200000",
            ["Medvis:InputLimits:CompressionRatioFreeBytes"] = "0",
        });

        var tooMany = await Upload(app, UserRole.Member, "many.zip", Zip(images));
        Assert.Contains("Medvis:InputLimits:MaxImages", tooMany.Error);

        // Small on the wire, large unpacked: declared sizes over the upload limit, and a bomb-like ratio.
        var bomb = await Upload(app, UserRole.Member, "bomb.zip", Zip(("a/x.png", new byte[150_000]), ("b/y.png", new byte[150_000])));
        Assert.Contains("Medvis:InputLimits:MaxCompressionRatio", bomb.Error);

        var big = await Upload(app, UserRole.Member, "big.npz", new byte[200_001]);
        Assert.Contains("Medvis:InputLimits:MaxUploadBytes", big.Error);
        Assert.Empty(FilesInUploads());
    }

    [Fact]
    public async Task UnpackedSizesOverTheUploadLimitAreRefusedBeforeWriting()
    {
        await using var app = App(new Dictionary<string, string?> { ["Medvis:InputLimits:MaxUploadBytes"] = "100000" });
        // Two bits of entropy a byte: about 4× smaller zipped, so the archive is under the limit and its contents are not.
        var random = new Random(2);
        byte[] Grainy() => Enumerable.Range(0, 40_000).Select(_ => (byte)random.Next(4)).ToArray();
        var archive = Zip(("a/x.png", Grainy()), ("b/y.png", Grainy()), ("b/z.png", Grainy()));
        Assert.InRange(archive.Length, 1, 100_000);
        var result = await Upload(app, UserRole.Member, "sum.zip", archive);
        Assert.Contains("the unpacked archive of more than", result.Error);
        Assert.Contains("Medvis:InputLimits:MaxUploadBytes", result.Error);
        Assert.Empty(FilesInUploads());
    }

    [Fact]
    public async Task AnUploadTheDiskHasNoRoomForIsRefusedNamingTheFreeSpaceAndTheSettingAndLeavesNothing()
    {
        var disk = new ReportedVolume();
        await using var app = new MedvisAppFactory(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:Storage:MinFreeMegabytes"] = "64" },
            s => s.AddSingleton<IStorageVolume>(disk));

        disk.Free = 70L << 20; // under 64 MB + the 8 MB checked ahead of each part
        var npz = await Upload(app, UserRole.Member, "cells.npz", [1, 2, 3]);
        Assert.False(npz.Succeeded);
        Assert.StartsWith("cells.npz: not enough free space to store the upload cells.npz (8.0 MB): 70.0 MB free", npz.Error);
        Assert.Contains("Medvis:Storage:MinFreeMegabytes keeps 64 MB free", npz.Error);
        Assert.DoesNotContain(UploadFolder, npz.Error);

        disk.Free = (72L << 20) + 10; // the zip (a few KB) arrives; its 10 MB of images would not leave 64 MB
        var zip = await Upload(app, UserRole.Member, "cells.zip", Zip(("a/x.png", new byte[5 << 20]), ("b/y.png", new byte[5 << 20])));
        Assert.False(zip.Succeeded, $"{zip.Error} {zip.Dataset?.Spec}");
        Assert.Contains("not enough free space to store the unpacked images of cells.zip (10.0 MB): 72.0 MB free", zip.Error);
        Assert.Empty(FilesInUploads());
        Assert.Empty(app.Services.GetRequiredService<IMedvisStore>().Datasets.All());

        disk.Free = 1L << 40;
        Assert.True((await Upload(app, UserRole.Member, "cells.zip", Zip(ClassFolders()))).Succeeded);
    }

    public void Dispose() => _dir.Dispose();
}
