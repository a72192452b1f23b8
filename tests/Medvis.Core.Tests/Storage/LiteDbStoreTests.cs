using Medvis.Core.Storage;
using Medvis.Core.Training;
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

    [Fact]
    public void OpeningANewFileCreatesEveryCollectionEmpty()
    {
        using (Open()) { }

        using var raw = new LiteDB.LiteDatabase(_dir.File("sub/medvis.db"));
        var names = raw.GetCollectionNames().ToHashSet();
        Assert.Superset(new HashSet<string> { "datasets", "runs", "annotations", "checkpoints", "users", "audit", "shares", "_files", "_chunks" }, names);
        Assert.All(names, n => Assert.Equal(0, raw.GetCollection(n).Count()));
    }

    [Fact]
    public void CompactingShrinksTheFileKeepingTheData()
    {
        using var db = new MedvisDatabase(_dir.File("sub/medvis.db"));
        var kept = db.Runs.Add(new RunRecord { Name = "kept", DatasetSpec = "demo" });
        var state = new byte[8 << 20];
        new Random(1).NextBytes(state);
        db.CheckpointsFor(kept.Id).Save(new TrainingCheckpoint(3, state[..1000], DateTime.UtcNow));
        db.CheckpointsFor(41).Save(new TrainingCheckpoint(1, state, DateTime.UtcNow));
        Assert.Equal([kept.Id, 41], db.RunsWithCheckpoints());

        db.ClearCheckpoints(41);
        var before = new FileInfo(db.FilePath).Length;
        db.Compact();
        var after = new FileInfo(db.FilePath).Length;

        Assert.True(after < before - (4 << 20), $"{before} bytes before, {after} after compacting");
        Assert.Equal("kept", db.Runs.Get(kept.Id)!.Name);
        Assert.Equal(state[..1000], db.CheckpointsFor(kept.Id).LoadLatest()!.State);
    }

    public override void Dispose() => _dir.Dispose();
}
