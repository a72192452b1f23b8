using Medvis.Core.Storage;
using Medvis.Web.Auth;
using Medvis.Web.Datasets;
using Medvis.Web.Tests.Support;
using Medvis.Web.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SkiaSharp;

namespace Medvis.Web.Tests.Integration;

/// <summary>Registering, naming, renaming and deleting datasets, as the Datasets page does it.</summary>
public sealed class DatasetRegistrationTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly MedvisAppFactory _app;
    private readonly DatasetService _datasets;
    private readonly Caller _admin;

    public DatasetRegistrationTests()
    {
        _app = new MedvisAppFactory(_dir.File("medvis.db"), services: s =>
            s.Remove(s.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(TrainingWorker))));
        _datasets = _app.Services.GetRequiredService<DatasetService>();
        _admin = _app.CallerOf(UserRole.Admin);
    }

    /// <summary>A folder dataset at <c>&lt;temp&gt;/&lt;parent&gt;/folder</c> with two classes of three images.</summary>
    private string ClassFolders(string parent)
    {
        var root = Path.Combine(_dir.Path, parent, "folder");
        foreach (var (cls, shade) in new[] { ("cells", (byte)10), ("debris", (byte)200) })
        {
            Directory.CreateDirectory(Path.Combine(root, cls));
            for (var i = 0; i < 3; i++)
            {
                using var bitmap = new SKBitmap(12, 12);
                bitmap.Erase(new SKColor((byte)(shade + i), shade, shade));
                using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
                File.WriteAllBytes(Path.Combine(root, cls, $"{i}.png"), png.ToArray());
            }
        }
        return root;
    }

    [Fact]
    public void AFolderCalledFolderIsNamedWithItsParentAndAGivenNameWins()
    {
        var named = _datasets.Register(_admin, ClassFolders("pbc-jpegs"));
        Assert.True(named.Succeeded, named.Error);
        Assert.Equal("pbc-jpegs/folder", named.Dataset!.Name);

        var given = _datasets.Register(_admin, ClassFolders("other"), 28, "  Blood cells, originals ");
        Assert.Equal("Blood cells, originals", given.Dataset!.Name);

        Assert.Equal("Give the dataset a name.", _datasets.Register(_admin, ClassFolders("third"), 28, "   ").Error);
    }

    [Fact]
    public void ATrailingSlashFindsTheSameDatasetAndAnotherSizeIsRefusedNotIgnored()
    {
        var root = ClassFolders("sizes");
        var first = _datasets.Register(_admin, root, 32).Dataset!;

        Assert.Equal(first.Id, _datasets.Register(_admin, root + "/", 32).Dataset!.Id);
        Assert.Equal(first.Id, _datasets.Register(_admin, root + "/./", 32).Dataset!.Id);
        var resized = _datasets.Register(_admin, root, 64);
        Assert.False(resized.Succeeded);
        Assert.Contains("already registered", resized.Error);
        Assert.Contains("32 px", resized.Error);
        Assert.Single(_datasets.All());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(513)]
    [InlineData(-28)]
    public void BadImageSizesAreRefusedWithTheirRangeNotClamped(int size)
    {
        var result = _datasets.Register(_admin, ClassFolders($"bad{size}"), size);
        Assert.Equal($"Image size {size} must be between 8 and 512 pixels.", result.Error);
        Assert.Empty(_datasets.All());
    }

    [Fact]
    public void AdminsRenameAndDeleteDatasetsButNotOnesThatRunsUse()
    {
        var database = _app.Services.GetRequiredService<IMedvisStore>();
        var unused = _datasets.Register(_admin, ClassFolders("unused")).Dataset!;
        var used = _datasets.Register(_admin, ClassFolders("used")).Dataset!;
        database.Runs.Add(new RunRecord { Name = "map", DatasetId = used.Id, DatasetSpec = used.Spec, DatasetName = used.Name, Status = RunStatus.Done });

        Assert.Null(_datasets.Rename(_admin, unused.Id, "renamed"));
        Assert.Equal("renamed", _datasets.Get(unused.Id)!.Name);
        Assert.Equal("A dataset name may have at most 120 characters.", _datasets.Rename(_admin, unused.Id, new string('x', 121)));
        Assert.Equal("Dataset 999 does not exist.", _datasets.Rename(_admin, 999, "x"));

        Assert.Contains("used by 1 run(s)", _datasets.Delete(_admin, used.Id));
        Assert.NotNull(_datasets.Get(used.Id));
        Assert.Null(_datasets.Delete(_admin, unused.Id));
        Assert.Null(_datasets.Get(unused.Id));
        Assert.True(Directory.Exists(unused.Spec), "deleting a registration leaves the files");

        var audit = database.Audit.Latest(10).Select(a => a.Action).ToList();
        Assert.Contains("renamed dataset", audit);
        Assert.Contains("deleted dataset", audit);
    }

    [Theory]
    [InlineData(UserRole.Viewer)]
    [InlineData(UserRole.Member)]
    public void OnlyAdminsRenameOrDelete(UserRole role)
    {
        var dataset = _datasets.Register(_admin, ClassFolders("guarded")).Dataset!;
        var caller = _app.CallerOf(role);
        Assert.Throws<AccessDeniedException>(() => _datasets.Rename(caller, dataset.Id, "mine"));
        Assert.Throws<AccessDeniedException>(() => _datasets.Delete(caller, dataset.Id));
        Assert.Equal(dataset.Name, _datasets.Get(dataset.Id)!.Name);
    }

    public void Dispose()
    {
        _app.Dispose();
        _dir.Dispose();
    }
}
