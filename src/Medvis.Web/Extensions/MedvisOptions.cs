using Medvis.Core.Runs;

namespace Medvis.Web.Extensions;

/// <summary>The web app's settings, section "Medvis" of appsettings.json.</summary>
public sealed class MedvisOptions
{
    public const string Section = "Medvis";

    /// <summary>Where runs, results and users are kept: <c>litedb</c> (one file, the default) or <c>postgres</c>
    /// (the database named by <c>ConnectionStrings:Medvis</c>, shared with workers on other machines).</summary>
    public string Store { get; set; } = StoreKinds.LiteDb;

    /// <summary>The LiteDB file (and, beside it, the key folder in either store); a relative path is taken from the repository root (or the app's folder when published).</summary>
    public string DatabasePath { get; set; } = "data/medvis.db";

    /// <summary>Register the built-in synthetic demo dataset on first start.</summary>
    public bool SeedDemoDataset { get; set; } = true;

    /// <summary>Side length of the demo images (28 or 64).</summary>
    public int DemoImageSize { get; set; } = 28;

    /// <summary>How many runs train at the same time (1 = one run per device, the default).</summary>
    public int MaxConcurrentRuns { get; set; } = 1;

    /// <summary>
    /// How many times a run may start training in a process that then dies (a crash, an out-of-memory kill) before
    /// the next start fails it instead of resuming it again.
    /// </summary>
    public int MaxRunAttempts { get; set; } = 3;

    /// <summary>
    /// Points a 10×10 grid cell needs before it shows an image on a map of the paper's size (100 on about 12,000
    /// points); the Grid tab scales it to each map's size.
    /// </summary>
    public int GridCellThreshold { get; set; } = 100;

    /// <summary>
    /// Snapshots of a run's map kept for its replay (evenly thinned beyond that; see <see cref="ReplaySettings"/>). Runs
    /// trained by <c>medvis worker</c> follow the worker's own setting.
    /// </summary>
    public int ReplaySnapshots { get; set; } = ReplaySettings.DefaultMaxSnapshots;

    /// <summary>
    /// Maps with more points than this are drawn by the WebGL canvas (points fetched as binary columns, hover and
    /// lasso answered by a server-side index) instead of Plotly, which receives every point as JSON.
    /// </summary>
    public int LargeMapPoints { get; set; } = 50_000;

    /// <summary>
    /// Runs whose backbone features (for neighbours in feature space) stay in memory, the least recently used dropped
    /// first; each holds points × feature size floats (about 35 MB for 17k points and a ResNet18).
    /// </summary>
    public int FeatureCacheRuns { get; set; } = 3;

    /// <summary>The "CPU quick" preset (minutes on a laptop CPU); tests shrink it further.</summary>
    public PresetSettings CpuQuick { get; set; } = new();

    /// <summary>
    /// Folders datasets may be registered from (by path, canonical, links resolved); relative ones are taken from the
    /// repository root. Empty: only the built-in demo can be registered.
    /// </summary>
    public string[] DataRoots { get; set; } = [];

    /// <summary>
    /// Where members' dataset uploads go, one new folder per upload; a relative path is taken from the repository root.
    /// It counts as a data root. Empty: uploads are off.
    /// </summary>
    public string UploadFolder { get; set; } = "data/uploads";

    /// <summary><see cref="UploadFolder"/> made absolute (set at start from the base folder); empty when uploads are off.</summary>
    public string UploadFolderPath { get; set; } = "";

    /// <summary>Sign-in attempts (and set-up or share-link openings) allowed per client address and minute.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>
    /// Seconds between rechecks of open hub connections and pages, which end those of expired share links (revoking a
    /// link or disabling a user ends them at once).
    /// </summary>
    public int LiveSessionRecheckSeconds { get; set; } = 15;

    /// <summary>How the app sits behind a reverse proxy that terminates HTTPS.</summary>
    public ReverseProxySettings ReverseProxy { get; set; } = new();

    /// <summary>How much room the store's disk keeps (<c>Medvis:Storage</c>).</summary>
    public StorageSettings Storage { get; set; } = new();

    /// <summary>Where the metrics go (<c>Medvis:Telemetry</c>); nowhere by default.</summary>
    public Telemetry.TelemetrySettings Telemetry { get; set; } = new();
}

/// <summary>The disk under the LiteDB file and the upload folder.</summary>
public sealed class StorageSettings
{
    /// <summary>
    /// Megabytes that must stay free after a large write (a checkpoint, a snapshot, a run's map and model, an upload,
    /// compaction); a write that would leave less is refused with a message, and the run that made it ends failed.
    /// </summary>
    public int MinFreeMegabytes { get; set; } = Medvis.Core.Storage.FreeSpaceRule.DefaultMinFreeMegabytes;

    /// <summary>The rule these settings describe.</summary>
    public Medvis.Core.Storage.FreeSpaceRule FreeSpace => new(MinFreeMegabytes);
}

/// <summary>The values of <see cref="MedvisOptions.Store"/>.</summary>
public static class StoreKinds
{
    /// <summary>One LiteDB file and the in-process worker.</summary>
    public const string LiteDb = "litedb";
    /// <summary>PostgreSQL and the Hangfire queue served by <c>medvis worker</c> processes.</summary>
    public const string Postgres = "postgres";
}

/// <summary>Forwarded headers from a reverse proxy; off unless configured, as anyone could send them.</summary>
public sealed class ReverseProxySettings
{
    /// <summary>Trust X-Forwarded-For and X-Forwarded-Proto from the known proxies.</summary>
    public bool Enabled { get; set; }

    /// <summary>Addresses of the proxies to trust besides loopback (127.0.0.1 and ::1 are trusted when enabled).</summary>
    public string[] KnownProxies { get; set; } = [];
}

/// <summary>
/// Overridable parts of the "CPU quick" preset. Unset values follow <see cref="Medvis.Core.Training.TrainingOptions"/>'s
/// defaults (the engine's small CPU setting, also the CLI's), so the preset moves with the engine's tuning.
/// </summary>
public sealed class PresetSettings
{
    public string? Backbone { get; set; }
    public int? BatchSize { get; set; }
    /// <summary>Epochs of the three stages. (No array default here: the configuration binder appends configured
    /// elements to an existing array instead of replacing it.)</summary>
    public int[]? EpochsPerStage { get; set; }
    public int? SnapshotSize { get; set; }
    /// <summary>Train on at most this many images (seeded random subset); null = the whole split.</summary>
    public int? MaxImages { get; set; }

    /// <summary>These settings as the preset catalogue takes them.</summary>
    public QuickPresetOverrides ToOverrides() => new(Backbone, BatchSize, EpochsPerStage, SnapshotSize, MaxImages);
}
