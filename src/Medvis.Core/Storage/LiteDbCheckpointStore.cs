using LiteDB;
using Medvis.Core.Training;

namespace Medvis.Core.Storage;

/// <summary>
/// The latest checkpoint of one run in LiteDB. Replacement is atomic without relying on transactions: the new
/// state is uploaded under a fresh file id, then one document (the pointer) is switched to it, then the old
/// file is removed. A crash at any point leaves the pointer on a complete checkpoint.
/// </summary>
/// <param name="db">The database.</param>
/// <param name="runId">The run.</param>
/// <param name="largeWrites">Checks for room and keeps the replacement on one engine.</param>
public sealed class LiteDbCheckpointStore(ILiteDatabase db, int runId, LiteDbLargeWrites largeWrites) : ICheckpointStore
{
    internal const string Collection = "checkpoints";
    private ILiteCollection<CheckpointPointer> Pointers => db.GetCollection<CheckpointPointer>(Collection);
    private string FilePrefix => $"checkpoint/{runId}/";

    /// <inheritdoc />
    public void Save(TrainingCheckpoint checkpoint)
    {
        largeWrites.Run(checkpoint.State.Length, $"the checkpoint of run {runId}", () =>
        {
            var fileId = $"{FilePrefix}{checkpoint.GlobalEpoch}-{Guid.NewGuid():N}";
            using (var stream = new MemoryStream(checkpoint.State, writable: false))
                db.FileStorage.Upload(fileId, fileId.Replace('/', '-'), stream);
            Pointers.Upsert(new CheckpointPointer
            {
                Id = runId, FileId = fileId, GlobalEpoch = checkpoint.GlobalEpoch, SavedAtUtc = checkpoint.SavedAtUtc,
            });
            DeleteFilesExcept(fileId);
        });
    }

    /// <inheritdoc />
    public TrainingCheckpoint? LoadLatest()
    {
        var pointer = Pointers.FindById(runId);
        if (pointer is null || !db.FileStorage.Exists(pointer.FileId)) return null;
        using var stream = new MemoryStream();
        db.FileStorage.Download(pointer.FileId, stream);
        return new TrainingCheckpoint(pointer.GlobalEpoch, stream.ToArray(), pointer.SavedAtUtc);
    }

    /// <summary>Removes the run's checkpoint (after it finished, the model replaces it).</summary>
    public void Clear()
    {
        Pointers.Delete(runId);
        DeleteFilesExcept(keep: null);
    }

    /// <summary>The runs with a checkpoint pointer or checkpoint files (orphans of a crash included).</summary>
    internal static IReadOnlyList<int> RunIds(ILiteDatabase db)
    {
        var fromPointers = db.GetCollection<CheckpointPointer>(Collection).FindAll().Select(p => p.Id);
        var fromFiles = db.FileStorage.Find("$._id LIKE 'checkpoint/%'")
            .Select(f => f.Id.Split('/'))
            .Where(parts => parts.Length == 3 && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out _))
            .Select(parts => int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        return fromPointers.Concat(fromFiles).Distinct().Order().ToList();
    }

    // Also sweeps files orphaned by a crash between upload and pointer switch.
    private void DeleteFilesExcept(string? keep)
    {
        var stale = db.FileStorage.Find($"$._id LIKE '{FilePrefix}%'")
            .Select(f => f.Id)
            .Where(id => id != keep)
            .ToList();
        foreach (var id in stale) db.FileStorage.Delete(id);
    }

    /// <summary>Which stored file holds a run's current checkpoint.</summary>
    internal sealed class CheckpointPointer
    {
        public int Id { get; set; }
        public string FileId { get; set; } = "";
        public int GlobalEpoch { get; set; }
        public DateTime SavedAtUtc { get; set; }
    }
}
