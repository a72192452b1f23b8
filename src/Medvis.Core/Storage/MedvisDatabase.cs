using LiteDB;
using Medvis.Core.Training;

namespace Medvis.Core.Storage;

/// <summary>
/// The one LiteDB file that holds datasets, runs, results, models, checkpoints and annotations.
/// Opened once per process in direct mode: a single <see cref="LiteDatabase"/> is thread-safe within the
/// process (shared mode exists for several processes and reopens the file per call, which we do not need).
/// </summary>
public sealed class MedvisDatabase : IDisposable
{
    private readonly LiteDatabase _db;

    /// <summary>Opens (or creates) the database file, creating its folder as needed.</summary>
    /// <exception cref="InvalidOperationException">The file is not a LiteDB database or cannot be opened.</exception>
    public MedvisDatabase(string path)
    {
        FilePath = Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            _db = new LiteDatabase(new ConnectionString { Filename = FilePath, Connection = ConnectionType.Direct }, CreateMapper())
            {
                UtcDate = true,
            };
            CreateMissingCollections(_db);
            _db.GetCollection<RunRecord>(RunRepository.Collection).EnsureIndex(r => r.Status);
            _db.GetCollection<AnnotationRecord>(AnnotationRepository.Collection).EnsureIndex(a => a.RunId);
        }
        // LiteDB reports a damaged or foreign file with whatever broke first (even ArgumentOutOfRange on a date).
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException($"{FilePath}: cannot open the Medvis database, not a LiteDB file or damaged ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")})", e);
        }
        Datasets = new DatasetRepository(_db);
        Runs = new RunRepository(_db);
        Artifacts = new RunArtifactStore(_db);
        Annotations = new AnnotationRepository(_db);
        Users = new UserRepository(_db);
        Audit = new AuditLog(_db);
        ShareLinks = new ShareLinkRepository(_db);
    }

    /// <summary>Absolute path of the database file.</summary>
    public string FilePath { get; }
    public DatasetRepository Datasets { get; }
    public RunRepository Runs { get; }
    public RunArtifactStore Artifacts { get; }
    public AnnotationRepository Annotations { get; }
    /// <summary>Who may sign in, and as what.</summary>
    public UserRepository Users { get; }
    /// <summary>Who changed what, and when.</summary>
    public AuditLog Audit { get; }
    /// <summary>Read-only links to runs and comparisons.</summary>
    public ShareLinkRepository ShareLinks { get; }

    /// <summary>The checkpoint store of one run (what the trainer resumes from).</summary>
    public ICheckpointStore CheckpointsFor(int runId) => new LiteDbCheckpointStore(_db, runId);

    /// <summary>Drops a run's checkpoint (once the run is done, its model replaces it).</summary>
    public void ClearCheckpoints(int runId) => new LiteDbCheckpointStore(_db, runId).Clear();

    /// <summary>The runs that have a stored checkpoint (or checkpoint files), in id order.</summary>
    public IReadOnlyList<int> RunsWithCheckpoints() => LiteDbCheckpointStore.RunIds(_db);

    /// <summary>
    /// Rewrites the file without its free pages (LiteDB <c>Rebuild</c>) and returns the bytes saved. LiteDB closes and
    /// reopens the engine meanwhile, so callers make sure nothing else uses the database for that moment.
    /// </summary>
    public long Compact() => _db.Rebuild();

    /// <summary>Removes a run with everything stored for it (its share links stop showing it: the run is gone).</summary>
    public void DeleteRun(int runId)
    {
        Artifacts.DeleteAll(runId);
        new LiteDbCheckpointStore(_db, runId).Clear();
        Annotations.DeleteForRun(runId);
        Runs.Delete(runId);
    }

    /// <summary>Every collection the app uses, the file storage's two among them.</summary>
    private static readonly string[] Collections =
    [
        DatasetRepository.Collection, RunRepository.Collection, AnnotationRepository.Collection, LiteDbCheckpointStore.Collection,
        UserRepository.Collection, AuditLog.Collection, ShareLinkRepository.Collection, "_files", "_chunks",
    ];

    // LiteDB 5 can fail a read with "page type must be collection page" when another thread's transaction creates a
    // collection at that moment (LiteDB issue 2792). Creating them all while the file is opened, before any other
    // thread can use it, leaves no collection to be created later.
    private static void CreateMissingCollections(LiteDatabase db)
    {
        foreach (var name in Collections.Where(n => !db.CollectionExists(n)))
        {
            var collection = db.GetCollection(name);
            var placeholder = collection.Insert(new BsonDocument { ["_id"] = ObjectId.NewObjectId() });
            collection.Delete(placeholder);
        }
    }

    private static BsonMapper CreateMapper()
    {
        // Our own mapper rather than BsonMapper.Global: no process-wide mutable state.
        return new BsonMapper { EnumAsInteger = false };
    }

    public void Dispose() => _db.Dispose();
}
