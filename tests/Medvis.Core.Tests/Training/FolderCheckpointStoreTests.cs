using Medvis.Core.Tests.Data;
using Medvis.Core.Training;

namespace Medvis.Core.Tests.Training;

public class FolderCheckpointStoreTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AnEmptyFolderHasNoCheckpoint() => Assert.Null(new FolderCheckpointStore(_temp.File("ck")).LoadLatest());

    [Fact]
    public void TheLatestSaveReplacesThePreviousOneAndLeavesNoTemporaryFiles()
    {
        var store = new FolderCheckpointStore(_temp.File("ck"));
        var saved = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);

        store.Save(new TrainingCheckpoint(3, [1, 2, 3], saved));
        store.Save(new TrainingCheckpoint(4, [9, 8], saved.AddMinutes(1)));
        var latest = new FolderCheckpointStore(_temp.File("ck")).LoadLatest();

        Assert.NotNull(latest);
        Assert.Equal(4, latest.GlobalEpoch);
        Assert.Equal([9, 8], latest.State);
        Assert.Equal(saved.AddMinutes(1), latest.SavedAtUtc);
        Assert.Equal(["checkpoint.bin"], Directory.GetFiles(store.Folder).Select(Path.GetFileName));
    }

    [Fact]
    public void ACorruptOrTruncatedFileIsNamed()
    {
        var store = new FolderCheckpointStore(_temp.File("ck"));
        store.Save(new TrainingCheckpoint(1, new byte[100], DateTime.UtcNow));
        var bytes = File.ReadAllBytes(store.FilePath);
        File.WriteAllBytes(store.FilePath, bytes[..50]);

        var truncated = Assert.Throws<InvalidDataException>(store.LoadLatest);
        Assert.Contains(store.FilePath, truncated.Message);

        File.WriteAllText(store.FilePath, "garbage that is long enough to read a header from");
        Assert.Contains("not a Medvis checkpoint", Assert.Throws<InvalidDataException>(store.LoadLatest).Message);
    }
}
