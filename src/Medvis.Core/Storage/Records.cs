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
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? StartedAtUtc { get; set; }
    public DateTime? FinishedAtUtc { get; set; }
    /// <summary>Time spent training (summed over resumptions).</summary>
    public double TrainingSeconds { get; set; }
    public double? FinalLoss { get; set; }
    /// <summary>One point per finished epoch, in order.</summary>
    public List<EpochPoint> History { get; set; } = [];
    /// <summary>The most recent 2-D snapshot of the fixed subset, for late joiners.</summary>
    public SnapshotPoint? LatestSnapshot { get; set; }
    /// <summary>Free-form log lines from the trainer (resumed, device chosen, …).</summary>
    public List<string> Messages { get; set; } = [];
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
}

/// <summary>A 2-D snapshot of the fixed subset during stages 2 and 3.</summary>
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
}
