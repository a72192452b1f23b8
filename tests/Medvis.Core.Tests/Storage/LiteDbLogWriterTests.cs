using LiteDB;
using LiteDB.Engine;
using Medvis.Core.Storage;

namespace Medvis.Core.Tests.Storage;

/// <summary>
/// The store waits for LiteDB's background log writer through a private signal of the pinned LiteDB version; an
/// upgrade that moves it must fail here rather than quietly stop the wait (and bring back lost acknowledged writes).
/// </summary>
public sealed class LiteDbLogWriterTests
{
    [Fact]
    public void TheLogWriterOfThePinnedLiteDbVersionCanBeWaitedFor()
    {
        using var data = new MemoryStream();
        using var log = new MemoryStream();
        using var engine = new LiteEngine(new EngineSettings { DataStream = data, LogStream = log });
        var writer = new LiteDbLogWriter(engine);
        writer.WaitUntilWritten(); // nothing written yet: nothing to find, nothing to wait for
        Assert.True(writer.CanWait);

        engine.Insert("items", [new BsonDocument { ["_id"] = 1, ["text"] = new string('x', 40_000) }], BsonAutoId.Int32);
        writer.WaitUntilWritten();

        Assert.True(writer.CanWait, "LiteDB's log writer signal (_disk.Queue.Value._queueIsEmpty) was not found");
        Assert.True(log.Length >= 40_000, $"the log holds {log.Length} bytes after the wait");
    }
}
