using Medvis.Core.Data.Metadata;
using Medvis.Core.Training;

namespace Medvis.Core.Storage;

/// <summary>
/// Everything Medvis keeps: datasets, runs, their artifacts and checkpoints, tags, users, the audit log and share
/// links. Two implementations: one LiteDB file (<see cref="MedvisDatabase"/>, the embedded default) and PostgreSQL
/// (<see cref="Postgres.PostgresStore"/>, shared by a web app and workers on several machines).
/// </summary>
public interface IMedvisStore : IDisposable
{
    /// <summary>Where the data lives, for logs and error messages (a file path, or host and database).</summary>
    string Location { get; }
    /// <summary>Registered datasets.</summary>
    IDatasetRepository Datasets { get; }
    /// <summary>Training runs.</summary>
    IRunRepository Runs { get; }
    /// <summary>Maps, metrics, cards and models of runs.</summary>
    IRunArtifactStore Artifacts { get; }
    /// <summary>Tags on map points.</summary>
    IAnnotationRepository Annotations { get; }
    /// <summary>Who may sign in, and as what.</summary>
    IUserRepository Users { get; }
    /// <summary>Who changed what, and when.</summary>
    IAuditLog Audit { get; }
    /// <summary>Read-only links to runs and comparisons.</summary>
    IShareLinkRepository ShareLinks { get; }
    /// <summary>Users' personal API tokens (hashed).</summary>
    IApiTokenRepository ApiTokens { get; }
    /// <summary>Metadata tables attached to datasets.</summary>
    IDatasetMetadataStore Metadata { get; }
    /// <summary>The 2-D snapshots of each run's training, bounded, for the replay.</summary>
    ISnapshotRepository Snapshots { get; }

    /// <summary>The checkpoint store of one run (what the trainer resumes from).</summary>
    ICheckpointStore CheckpointsFor(int runId);

    /// <summary>
    /// How many datasets the store holds, asked once and at once: for readiness probes, which must answer within
    /// seconds even while other calls wait for a database that went away.
    /// </summary>
    int CountDatasetsNow() => Datasets.All().Count;

    /// <summary>Drops a run's checkpoint (once the run is done, its model replaces it).</summary>
    void ClearCheckpoints(int runId);

    /// <summary>The runs that have a stored checkpoint, in id order (ended runs among them are left-overs to clear).</summary>
    IReadOnlyList<int> RunsWithCheckpoints();

    /// <summary>
    /// Gives the space of deleted data back (LiteDB rewrites its file, PostgreSQL vacuums its tables) and returns the
    /// bytes saved where the store can tell (0 otherwise). Callers make sure no run is training meanwhile.
    /// </summary>
    long Compact();

    /// <summary>The bytes the store takes on disk now (LiteDB: the file and its log; PostgreSQL: the database).</summary>
    long StoredBytes();

    /// <summary>
    /// The bytes still free on the disk under the store, or null when the store cannot tell (PostgreSQL: the
    /// database server's disk is not visible from here).
    /// </summary>
    long? FreeBytes();

    /// <summary>Removes a run with everything stored for it (its share links stop showing it: the run is gone).</summary>
    void DeleteRun(int runId);
}

/// <summary>Registered datasets.</summary>
public interface IDatasetRepository
{
    /// <summary>Stores a new dataset and returns it with its id.</summary>
    DatasetRecord Add(DatasetRecord dataset);
    /// <summary>The dataset with this id, or null.</summary>
    DatasetRecord? Get(int id);
    /// <summary>The dataset registered with this spec (path or "demo"), if any.</summary>
    DatasetRecord? FindBySpec(string spec);
    /// <summary>Every dataset, oldest first.</summary>
    IReadOnlyList<DatasetRecord> All();
    /// <summary>Removes a dataset; false when there is none.</summary>
    bool Delete(int id);
    /// <summary>Gives a dataset a new display name; false when there is none.</summary>
    bool Rename(int id, string name);
}

/// <summary>The metadata table of each dataset (at most one; a new upload replaces it).</summary>
public interface IDatasetMetadataStore
{
    /// <summary>Stores (replaces) the metadata of dataset <see cref="DatasetMetadata.DatasetId"/>.</summary>
    void Save(DatasetMetadata metadata);
    /// <summary>The metadata of a dataset, or null when none is attached.</summary>
    DatasetMetadata? Load(int datasetId);
    /// <summary>Removes a dataset's metadata; false when it had none.</summary>
    bool Delete(int datasetId);
}

/// <summary>
/// Training runs. Changes go through <see cref="Update"/>, a serialised read-modify-write, so a trainer writing
/// progress and a user cancelling never overwrite each other's fields.
/// </summary>
public interface IRunRepository
{
    /// <summary>Stores a new run and returns it with its id.</summary>
    RunRecord Add(RunRecord run);
    /// <summary>The run with this id, or null.</summary>
    RunRecord? Get(int id);
    /// <summary>All runs, newest first.</summary>
    IReadOnlyList<RunRecord> All();
    /// <summary>Runs in one of the given states, oldest first.</summary>
    IReadOnlyList<RunRecord> WithStatus(params RunStatus[] statuses);
    /// <summary>How many runs map dataset <paramref name="datasetId"/>, counted by the store without loading any run.</summary>
    int CountForDataset(int datasetId);
    /// <summary>How many runs are in each state (states without runs are left out), counted by the store without loading any run.</summary>
    IReadOnlyDictionary<RunStatus, int> CountByStatus();
    /// <summary>Applies <paramref name="change"/> to the stored run and saves it; null when the run is gone.</summary>
    RunRecord? Update(int id, Action<RunRecord> change);
    /// <summary>Removes the run record alone; false when there is none.</summary>
    bool Delete(int id);
    /// <summary>Whether a user asked run <paramref name="id"/> to stop (cheap enough to poll every second).</summary>
    bool IsCancelRequested(int id);
}

/// <summary>The large outputs of a run: the map, the metrics and card JSON, and the trained model.</summary>
public interface IRunArtifactStore
{
    /// <summary>Stores (replaces) the map of a finished run.</summary>
    /// <exception cref="ArgumentException">Coordinates, labels and indices differ in length.</exception>
    void SaveResult(RunResult result);
    /// <summary>The stored map of a run, or null when it has none.</summary>
    RunResult? LoadResult(int runId);
    /// <summary>Stores (replaces) the metrics report of a run, as JSON.</summary>
    void SaveMetricsJson(int runId, string json);
    /// <summary>The stored metrics JSON of a run, or null.</summary>
    string? LoadMetricsJson(int runId);
    /// <summary>Stores (replaces) the trained model of a run.</summary>
    void SaveModel(int runId, byte[] modelBytes);
    /// <summary>The trained model's bytes, or null when the run has none.</summary>
    byte[]? LoadModel(int runId);
    /// <summary>Stores (replaces) the reproducibility card of a run, as JSON.</summary>
    void SaveCardJson(int runId, string json);
    /// <summary>The stored card JSON of a run, or null (runs finished before cards existed have none).</summary>
    string? LoadCardJson(int runId);
}

/// <summary>Labels users gave to selected points of a map.</summary>
public interface IAnnotationRepository
{
    /// <summary>Stores a tag; the label is trimmed and must not be empty.</summary>
    /// <exception cref="ArgumentException">No label or no points.</exception>
    AnnotationRecord Add(int runId, string label, IReadOnlyCollection<int> pointIndices);
    /// <summary>Tags of a run, oldest first.</summary>
    IReadOnlyList<AnnotationRecord> ForRun(int runId);
    /// <summary>Removes a tag; false when there is none.</summary>
    bool Delete(int id);
}

/// <summary>The people who may sign in, with their roles and password hashes.</summary>
public interface IUserRepository
{
    /// <summary>Stores a new user without a password.</summary>
    /// <exception cref="ArgumentException">The name is empty, too long, or taken (ignoring case).</exception>
    UserRecord Add(string name, UserRole role);
    /// <summary>The user with this id, or null.</summary>
    UserRecord? Get(int id);
    /// <summary>The user of that name, ignoring case, or null.</summary>
    UserRecord? FindByName(string name);
    /// <summary>Every user, oldest first.</summary>
    IReadOnlyList<UserRecord> All();
    /// <summary>True when some enabled admin has a password, i.e. someone can sign in to manage the app.</summary>
    bool AnAdminCanSignIn();
    /// <summary>Changes a stored user; false when there is no such user.</summary>
    bool Update(int id, Action<UserRecord> change);
}

/// <summary>Who registered, queued, cancelled or deleted what, and when; only ever appended to.</summary>
public interface IAuditLog
{
    /// <summary>Appends one entry stamped with the current time.</summary>
    AuditRecord Add(string userName, string action, string subject);
    /// <summary>The latest <paramref name="count"/> entries, newest first.</summary>
    IReadOnlyList<AuditRecord> Latest(int count);
}

/// <summary>
/// The 2-D snapshots a run took while training, kept within a bound by even thinning (<see cref="SnapshotThinning"/>),
/// so its training can be replayed. A snapshot with a global epoch at or before stored ones (a resumed run repeats
/// epochs past its checkpoint) replaces them and those after it.
/// </summary>
public interface ISnapshotRepository
{
    /// <summary>Stores a snapshot of run <paramref name="runId"/> and thins the run's history to at most <paramref name="maxKept"/>.</summary>
    /// <exception cref="ArgumentException">A bound below 2.</exception>
    void Add(int runId, SnapshotPoint snapshot, int maxKept);
    /// <summary>The run's stored snapshots, oldest first.</summary>
    IReadOnlyList<SnapshotPoint> ForRun(int runId);
    /// <summary>The global epochs of the run's stored snapshots, ascending (cheap: no points are read).</summary>
    IReadOnlyList<int> EpochsOf(int runId);
    /// <summary>Removes every snapshot of a run.</summary>
    void DeleteForRun(int runId);
}

/// <summary>Read-only share links and whether each still works.</summary>
public interface IShareLinkRepository
{
    /// <summary>Stores a new link to one run or a comparison of two to four runs.</summary>
    /// <exception cref="ArgumentException">The number of runs does not fit the kind.</exception>
    ShareLinkRecord Add(ShareKind kind, IReadOnlyCollection<int> runIds, string createdBy, DateTime? expiresAtUtc);
    /// <summary>The link with this id, or null.</summary>
    ShareLinkRecord? Get(int id);
    /// <summary>Links that show <paramref name="runId"/>, newest first.</summary>
    IReadOnlyList<ShareLinkRecord> ForRun(int runId);
    /// <summary>Stops a link from opening; false when there is no such link.</summary>
    bool Revoke(int id);
}
