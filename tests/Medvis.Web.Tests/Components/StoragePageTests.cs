using Bunit;
using Medvis.Core.Storage;
using Medvis.Web.Components.Pages.Admin;
using Medvis.Web.Tests.Support;
using Medvis.Web.Training;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Components;

/// <summary>The admin Storage page: the database's size, the free space on its disk and the headroom, and compaction.</summary>
public sealed class StoragePageTests : DatabasePageTestContext
{
    private readonly ReportedVolume _disk = new() { Free = 40L << 20 };
    private readonly MedvisDatabase _store;

    public StoragePageTests()
    {
        _store = new MedvisDatabase(Folder.File("small-disk.db"), new FreeSpaceRule(64), _disk);
        // The page's admin, under the same id as in the context's own database.
        Assert.Equal(User.Id, _store.Users.Add(User.Name, UserRole.Admin).Id);
        Services.AddSingleton<IMedvisStore>(_store);
        Services.AddSingleton(new FreeSpaceRule(64));
        Services.AddSingleton<DatabaseMaintenance>();
    }

    [Fact]
    public void ThePageShowsTheFreeSpaceAndTheSettingAndACompactionWithoutRoomIsAMessage()
    {
        var cut = Render<Storage>();

        var free = cut.Find("[data-testid=free-space]").TextContent;
        Assert.Contains("Free on its disk: 40.0 MiB", free);
        Assert.Contains("keep 64 MB free", free);
        Assert.Contains("Medvis:Storage:MinFreeMegabytes", free);

        cut.Find("[data-testid=compact-database]").Click();

        cut.WaitForAssertion(() => Assert.Contains("not enough free space to store the compacted copy of the database",
            cut.Find("[data-testid=compact-error]").TextContent), TimeSpan.FromSeconds(30));
        Assert.Empty(cut.FindAll("[data-testid=compact-result]"));
        Assert.Contains("40.0 MB free", cut.Find("[data-testid=compact-error]").TextContent);

        _disk.Free = 1L << 40;
        cut.Find("[data-testid=compact-database]").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=compact-result]")), TimeSpan.FromSeconds(30));
        Assert.Contains("Free on its disk: 1024.0 GiB", cut.Find("[data-testid=free-space]").TextContent);
    }

    protected override void DisposeResources()
    {
        _store.Dispose();
        base.DisposeResources();
    }
}
