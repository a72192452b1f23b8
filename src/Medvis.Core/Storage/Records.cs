using Medvis.Core.Data;

namespace Medvis.Core.Storage;

/// <summary>A dataset the user registered: where it comes from and what it held when registered.</summary>
public sealed class DatasetRecord
{
    public int Id { get; set; }
    /// <summary>Display name.</summary>
    public string Name { get; set; } = "";
    /// <summary>What opens it again: "demo", an .npz path or an image folder path.</summary>
    public string Spec { get; set; } = "";
    /// <summary>Side length folder images are resized to (npz and demo keep their own size).</summary>
    public int ImageSize { get; set; } = 28;
    public string Kind { get; set; } = "";
    public int Channels { get; set; }
    public int Height { get; set; }
    public int Width { get; set; }
    public List<string> ClassNames { get; set; } = [];
    /// <summary>Split name ("Train", "Val", "Test") → images per class.</summary>
    public Dictionary<string, int[]> CountsPerSplit { get; set; } = [];
    public DateTime RegisteredAtUtc { get; set; }

    /// <summary>Images of a split (summed over classes); 0 when the source lacks it.</summary>
    public int CountOf(DatasetSplit split) => split == DatasetSplit.All
        ? CountsPerSplit.Values.Sum(c => c.Sum())
        : CountsPerSplit.TryGetValue(split.ToString(), out var counts) ? counts.Sum() : 0;
}

/// <summary>Where a run stands.</summary>
public enum RunStatus { Queued, Running, Done, Failed, Cancelled }

/// <summary>Where a run's map comes from.</summary>
public enum RunKind
{
    /// <summary>Trained by Medvis (the web app's worker or <c>medvis worker</c>).</summary>
    Trained,
    /// <summary>Computed elsewhere and imported as a CSV of index, x, y (<see cref="MapImports"/>); no model, metrics or history.</summary>
    Imported,
}

/// <summary>One training run: its configuration, its state and its training history.</summary>
public sealed class RunRecord
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public int DatasetId { get; set; }
    /// <summary>Copied from the dataset so the run stays reproducible if the dataset record goes.</summary>
    public string DatasetSpec { get; set; } = "";
    public string DatasetName { get; set; } = "";
    public int ImageSize { get; set; } = 28;
    public DatasetSplit Split { get; set; } = DatasetSplit.Train;
    /// <summary>Train on a seeded random subset of this many images (null: the whole split).</summary>
    public int? MaxImages { get; set; }
    /// <summary><see cref="Training.TrainingOptions"/> as JSON (see <see cref="Training.TrainingOptionsJson"/>).</summary>
    public string OptionsJson { get; set; } = "{}";
    public RunStatus Status { get; set; } = RunStatus.Queued;
    /// <summary>Why the run failed (one line).</summary>
    public string? Error { get; set; }
    /// <summary>The user who queued the run (0: queued before runs had owners; only admins manage those).</summary>
    public int OwnerId { get; set; }
    /// <summary>The owner's user name when the run was queued, for display.</summary>
    public string OwnerName { get; set; } = "";
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? StartedAtUtc { get; set; }
    public DateTime? FinishedAtUtc { get; set; }
    /// <summary>
    /// How many times training started (the web app's worker or <c>medvis worker</c>); a process that died mid-run
    /// (a crash, a kill) leaves its start counted, a clean shutdown takes it back. A run still marked running with
    /// this many starts at the limit is failed instead of resumed.
    /// </summary>
    public int Attempts { get; set; }
    /// <summary>Time spent training (summed over resumptions) in the attempts that ended; see <see cref="TrainingTimeAt"/>.</summary>
    public double TrainingSeconds { get; set; }
    /// <summary>When the current attempt started training (set on every start; only meaningful while running).</summary>
    public DateTime? AttemptStartedAtUtc { get; set; }
    public double? FinalLoss { get; set; }
    /// <summary>One point per finished epoch, in order.</summary>
    public List<EpochPoint> History { get; set; } = [];
    /// <summary>The most recent 2-D snapshot of the fixed subset, for late joiners.</summary>
    public SnapshotPoint? LatestSnapshot { get; set; }
    /// <summary>Free-form log lines from the trainer (resumed, device chosen, …).</summary>
    public List<string> Messages { get; set; } = [];
    /// <summary>
    /// The content hash of the run's split as the web app saw it when queuing (<see cref="Data.DatasetFingerprint"/>);
    /// a worker refuses data that hash differently. Null: not pinned (the in-process worker reads the app's own data).
    /// </summary>
    public string? DatasetContentHash { get; set; }
    /// <summary>Set when a user cancels while a worker on another machine trains it; the worker polls it.</summary>
    public bool CancelRequested { get; set; }
    /// <summary>The worker that last started the run (host name and process id).</summary>
    public string? Worker { get; set; }
    /// <summary>Trained here or imported; runs stored before imports existed read as trained.</summary>
    public RunKind Kind { get; set; } = RunKind.Trained;

    /// <summary>Whether the map's points show images of a dataset (an imported map may stand alone, without images).</summary>
    public bool HasImages() => !string.IsNullOrEmpty(DatasetSpec);

    /// <summary>
    /// Time spent training as of <paramref name="nowUtc"/>: the ended attempts plus, while running, the current one
    /// so far (a running run does not read 00:00:00).
    /// </summary>
    public TimeSpan TrainingTimeAt(DateTime nowUtc)
    {
        var current = Status == RunStatus.Running && AttemptStartedAtUtc is { } started && nowUtc > started ? (nowUtc - started).TotalSeconds : 0;
        return TimeSpan.FromSeconds(Math.Round(TrainingSeconds + current));
    }
}

/// <summary>What the trainer reported at the end of one epoch.</summary>
public sealed class EpochPoint
{
    public int Stage { get; set; }
    public int Epoch { get; set; }
    public int EpochsInStage { get; set; }
    public int GlobalEpoch { get; set; }
    public int TotalEpochs { get; set; }
    public double Loss { get; set; }
    public double LearningRate { get; set; }
    public double ImagesPerSecond { get; set; }
    public double ElapsedSeconds { get; set; }
    public double? EtaSeconds { get; set; }
    /// <summary>True while the ETA leans on a prior (only the slow first epoch was measured).</summary>
    public bool EtaRough { get; set; }
    /// <summary>How many times faster steady epochs run than the first one of the process (null until measured).</summary>
    public double? SpeedUp { get; set; }
    /// <summary>Wall time of this epoch (snapshot and kNN included); 0 in runs stored before it was recorded.</summary>
    public double EpochSeconds { get; set; }
    /// <summary>kNN accuracy on the snapshot subset (128-d in stage 1, 2-D after), on epochs that took a snapshot.</summary>
    public double? KnnAccuracy { get; set; }
}

/// <summary>A 2-D snapshot of the fixed subset during stages 2 and 3 (the latest one on the run, a thinned history for the replay).</summary>
public sealed class SnapshotPoint
{
    public int Stage { get; set; }
    public int Epoch { get; set; }
    public int GlobalEpoch { get; set; }
    public int[] Indices { get; set; } = [];
    public int[] Labels { get; set; } = [];
    public float[] X { get; set; } = [];
    public float[] Y { get; set; } = [];
}

/// <summary>
/// The map of a finished run. Point i is image <c>DatasetIndices[i]</c> of the run's split as loaded.
/// The arrays live in file storage (they can hold hundreds of thousands of points).
/// </summary>
public sealed record RunResult(int RunId, float[] X, float[] Y, int[] Labels, int[] DatasetIndices, IReadOnlyList<string> ClassNames)
{
    public int Count => X.Length;
}

/// <summary>A label a user gave to a set of map points (annotation aid).</summary>
public sealed class AnnotationRecord
{
    public int Id { get; set; }
    public int RunId { get; set; }
    public string Label { get; set; } = "";
    /// <summary>Point indices of the run's map.</summary>
    public int[] PointIndices { get; set; } = [];
    public DateTime CreatedAtUtc { get; set; }

    /// <summary>A new tag with a trimmed, non-empty label over at least one point, checked the same way by every store.</summary>
    /// <exception cref="ArgumentException">An empty label or no points.</exception>
    public static AnnotationRecord Create(int runId, string label, IReadOnlyCollection<int> pointIndices)
    {
        if (string.IsNullOrWhiteSpace(label)) throw new ArgumentException("A tag needs a label.");
        if (pointIndices.Count == 0) throw new ArgumentException("A tag needs at least one selected point.");
        return new AnnotationRecord { RunId = runId, Label = label.Trim(), PointIndices = pointIndices.ToArray(), CreatedAtUtc = DateTime.UtcNow };
    }
}

/// <summary>What a signed-in user may do; each role may do everything the roles before it may.</summary>
public enum UserRole
{
    /// <summary>Reads maps, grids, metrics and comparisons; changes nothing.</summary>
    Viewer,
    /// <summary>Queues, cancels and deletes their own runs; tags; places new images on maps.</summary>
    Member,
    /// <summary>Manages users, registers datasets and deletes anything.</summary>
    Admin,
}

/// <summary>A person who signs in to the web app.</summary>
public sealed class UserRecord
{
    public int Id { get; set; }
    /// <summary>Sign-in name, unique ignoring case.</summary>
    public string Name { get; set; } = "";
    public UserRole Role { get; set; } = UserRole.Viewer;
    /// <summary>ASP.NET Core Identity's password hash; null until the user sets a password.</summary>
    public string? PasswordHash { get; set; }
    /// <summary>A disabled user cannot sign in, and open sessions end.</summary>
    public bool Disabled { get; set; }
    /// <summary>Random value a set-password link must carry; cleared when used, so each link works once.</summary>
    public string? SetPasswordNonce { get; set; }
    public DateTime CreatedAtUtc { get; set; }

    /// <summary>A new user without a password; the name is trimmed and must have 1 to 64 characters in every store.</summary>
    /// <exception cref="ArgumentException">An empty or too long name.</exception>
    public static UserRecord Create(string name, UserRole role)
    {
        name = name.Trim();
        if (name.Length is 0 or > 64) throw new ArgumentException("A user name needs 1 to 64 characters.");
        return new UserRecord { Name = name, Role = role, CreatedAtUtc = DateTime.UtcNow };
    }
}

/// <summary>One change a user made: who did what to which thing, and when.</summary>
public sealed class AuditRecord
{
    public int Id { get; set; }
    public DateTime AtUtc { get; set; }
    public string UserName { get; set; } = "";
    /// <summary>A short verb: "registered dataset", "queued run", "cancelled run", "deleted run", …</summary>
    public string Action { get; set; } = "";
    /// <summary>What it was done to, e.g. "run 12 \"blood cells\"".</summary>
    public string Subject { get; set; } = "";
}

/// <summary>What a share link shows.</summary>
public enum ShareKind { Run, Comparison }

/// <summary>A read-only link to one run or one comparison of runs, for people without an account.</summary>
public sealed class ShareLinkRecord
{
    public int Id { get; set; }
    public ShareKind Kind { get; set; }
    /// <summary>The run (one) or the compared runs (two to four).</summary>
    public int[] RunIds { get; set; } = [];
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAtUtc { get; set; }
    /// <summary>When the link stops working; null: until revoked.</summary>
    public DateTime? ExpiresAtUtc { get; set; }
    public bool Revoked { get; set; }

    /// <summary>Whether the link still opens at <paramref name="nowUtc"/>.</summary>
    public bool IsActive(DateTime nowUtc) => !Revoked && (ExpiresAtUtc is null || ExpiresAtUtc > nowUtc);

    /// <summary>A new link to one run or a comparison of two to four runs, checked the same way by every store.</summary>
    /// <exception cref="ArgumentException">The number of runs does not fit the kind.</exception>
    public static ShareLinkRecord Create(ShareKind kind, IReadOnlyCollection<int> runIds, string createdBy, DateTime? expiresAtUtc)
    {
        var ids = runIds.Distinct().ToArray();
        if (kind == ShareKind.Run ? ids.Length != 1 : ids.Length is < 2 or > 4)
            throw new ArgumentException(kind == ShareKind.Run ? "A run link shows exactly one run." : "A comparison link shows 2 to 4 runs.");
        return new ShareLinkRecord { Kind = kind, RunIds = ids, CreatedBy = createdBy, CreatedAtUtc = DateTime.UtcNow, ExpiresAtUtc = expiresAtUtc };
    }
}
