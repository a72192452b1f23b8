using Medvis.Core.Storage;
using Medvis.Core.Tests.Data;

namespace Medvis.Core.Tests.Storage;

/// <summary>The store contract on a LiteDB file in a temporary folder.</summary>
public sealed class LiteDbStoreTests : MedvisStoreContract
{
    private readonly TempFolder _dir = new();

    protected override IMedvisStore Open() => new MedvisDatabase(_dir.File("sub/medvis.db"));

    [Fact]
    public void AFileThatIsNotADatabaseGivesAOneLineError()
    {
        var path = _dir.File("garbage.db");
        File.WriteAllBytes(path, Enumerable.Repeat((byte)0x5A, 20000).ToArray());
        var error = Assert.Throws<InvalidOperationException>(() => new MedvisDatabase(path));
        Assert.Contains("garbage.db", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    public override void Dispose() => _dir.Dispose();
}
