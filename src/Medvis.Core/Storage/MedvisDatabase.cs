using LiteDB;
using Medvis.Core.Training;

namespace Medvis.Core.Storage;

/// <summary>
/// The one LiteDB file that holds datasets, runs, results, models, checkpoints and annotations.
/// Opened once per process in direct mode: a single <see cref="LiteDatabase"/> is thread-safe within the
/// process (shared mode exists for several processes and reopens the file per call, which we do not need). Its
/// writes go one at a time (<see cref="SerialWriteLiteEngine"/>), as LiteDB 5.0.x breaks under concurrent writes
/// to different collections. The store opens the file's streams itself (<see cref="RecoveringLiteEngine"/>), so a
/// write that fails on a full disk does not leave the engine broken for the rest of the process, and large writes
/// are checked against the volume's free space first (<see cref="FreeSpaceGuard"/>).
/// </summary>
public sealed class MedvisDatabase : IMedvisStore
{
    private readonly LiteDatabase _db;
    private readonly RecoveringLiteEngine _engine;
    private readonly FreeSpaceGuard _room;
    private readonly LiteDbLargeWrites _largeWrites;
    private readonly RunArtifactStore _artifacts;
    private readonly AnnotationRepository _annotations;
    private readonly SnapshotRepository _snapshots;

    /// <summary>Opens (or creates) the database file, creating its folder as needed.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="freeSpace">The headroom large writes keep free; <see cref="FreeSpaceRule.Default"/> when null.</param>
    /// <param name="volume">The file system under the file; the local one when null (tests pass a disk that fills up).</param>
    /// <param name="logger">Hears when the engine is replaced after a failed write; none when null.</param>
    /// <exception cref="InvalidOperationException">The file is not a LiteDB database or cannot be opened.</exception>
    public MedvisDatabase(string path, FreeSpaceRule? freeSpace = null, IStorageVolume? volume = null, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        FilePath = Path.GetFullPath(path);
        volume ??= LocalVolume.Instance;
        _room = new FreeSpaceGuard(Path.GetDirectoryName(FilePath)!, freeSpace ?? FreeSpaceRule.Default, volume);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            _engine = new RecoveringLiteEngine(FilePath, volume, logger);
            _largeWrites = new LiteDbLargeWrites(_room, _engine);
            _db = new LiteDatabase(new SerialWriteLiteEngine(_engine), CreateMapper(), disposeOnClose: true)
            {
                UtcDate = true,
            };
            CreateMissingCollections(_db);
            _db.GetCollection<RunRecord>(RunRepository.Collection).EnsureIndex(r => r.Status);
            // Deleting a dataset counts its runs through this index instead of reading every run.
            _db.GetCollection<RunRecord>(RunRepository.Collection).EnsureIndex(r => r.DatasetId);
            _db.GetCollection<AnnotationRecord>(AnnotationRepository.Collection).EnsureIndex(a => a.RunId);
            _db.GetCollection<SnapshotRepository.StoredSnapshot>(SnapshotRepository.Collection).EnsureIndex(s => s.RunId);
            // Every API request finds its token by hash.
            _db.GetCollection<ApiTokenRecord>(ApiTokenRepository.Collection).EnsureIndex(t => t.SecretHash, unique: true);
        }
        // LiteDB reports a damaged or foreign file with whatever broke first (even ArgumentOutOfRange on a date).
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _engine?.Dispose();
            throw new InvalidOperationException($"{FilePath}: cannot open the Medvis database, not a LiteDB file or damaged ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")})", e);
        }
        Datasets = new DatasetRepository(_db);
        Runs = new RunRepository(_db);
        _artifacts = new RunArtifactStore(_db, _largeWrites);
        _annotations = new AnnotationRepository(_db);
        Users = new UserRepository(_db);
        Audit = new AuditLog(_db);
        ShareLinks = new ShareLinkRepository(_db);
        ApiTokens = new ApiTokenRepository(_db);
        Metadata = new DatasetMetadataStore(_db);
        _snapshots = new SnapshotRepository(_db, _largeWrites);
    }

    /// <summary>How many times an engine broken by a failed write was replaced by a fresh one since the file was opened.</summary>
    public int EngineReopened => _engine.Reopened;

    /// <summary>Absolute path of the database file.</summary>
    public string FilePath { get; }
    /// <inheritdoc />
    public string Location => FilePath;
    /// <inheritdoc />
    public IDatasetRepository Datasets { get; }
    /// <inheritdoc />
    public IRunRepository Runs { get; }
    /// <inheritdoc />
    public IRunArtifactStore Artifacts => _artifacts;
    /// <inheritdoc />
    public IAnnotationRepository Annotations => _annotations;
    /// <inheritdoc />
    public IUserRepository Users { get; }
    /// <inheritdoc />
    public IAuditLog Audit { get; }
    /// <inheritdoc />
    public IShareLinkRepository ShareLinks { get; }
    /// <inheritdoc />
    public IApiTokenRepository ApiTokens { get; }
    /// <inheritdoc />
    public IDatasetMetadataStore Metadata { get; }
    /// <inheritdoc />
    public ISnapshotRepository Snapshots => _snapshots;

    /// <inheritdoc />
    public ICheckpointStore CheckpointsFor(int runId) => new LiteDbCheckpointStore(_db, runId, _largeWrites);

    /// <inheritdoc />
    public void ClearCheckpoints(int runId) => new LiteDbCheckpointStore(_db, runId, _largeWrites).Clear();

    /// <inheritdoc />
    public IReadOnlyList<int> RunsWithCheckpoints() => LiteDbCheckpointStore.RunIds(_db);

    /// <summary>
    /// Rewrites the file without its free pages (LiteDB <c>Rebuild</c>) and returns the bytes saved. LiteDB closes and
    /// reopens the engine meanwhile, so callers make sure nothing else uses the database for that moment. The copy
    /// needs as much room as the file.
    /// </summary>
    /// <exception cref="StorageFullException">The volume has no room for the copy.</exception>
    public long Compact()
    {
        _room.EnsureRoom(StoredBytes(), "the compacted copy of the database");
        return _db.Rebuild();
    }

    /// <inheritdoc />
    public long? FreeBytes() => _room.FreeBytes();

    /// <inheritdoc />
    public long StoredBytes() => SizeOf(FilePath) + SizeOf(LiteDbFiles.LogPathOf(FilePath));

    private static long SizeOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <inheritdoc />
    public void DeleteRun(int runId)
    {
        _artifacts.DeleteAll(runId);
        new LiteDbCheckpointStore(_db, runId, _largeWrites).Clear();
        _annotations.DeleteForRun(runId);
        _snapshots.DeleteForRun(runId);
        Runs.Delete(runId);
    }

    /// <summary>Every collection the app uses, the file storage's two among them.</summary>
    private static readonly string[] Collections =
    [
        DatasetRepository.Collection, RunRepository.Collection, AnnotationRepository.Collection, LiteDbCheckpointStore.Collection,
        UserRepository.Collection, AuditLog.Collection, ShareLinkRepository.Collection, SnapshotRepository.Collection, ApiTokenRepository.Collection, "_files", "_chunks",
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
