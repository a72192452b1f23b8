namespace Medvis.Web.Training;

/// <summary>
/// What a live view shows of a run, rebuilt from its <see cref="RunHistory"/> and kept current by updates.
/// Epoch updates may repeat (a viewer joins while an epoch is being published, or a run resumes from an
/// earlier checkpoint): a point replaces every point at or after its global epoch.
/// </summary>
public sealed class RunLiveState
{
    private readonly List<EpochPoint> _epochs = [];
    private readonly List<string> _messages = [];

    public RunStatus Status { get; private set; }
    public string? Error { get; private set; }
    public IReadOnlyList<EpochPoint> Epochs => _epochs;
    public SnapshotPoint? Snapshot { get; private set; }
    public RunStepUpdate? LastStep { get; private set; }
    public IReadOnlyList<string> Messages => _messages;
    /// <summary>Grows whenever the epoch list changes (charts redraw on a new value).</summary>
    public int EpochRevision { get; private set; }

    public EpochPoint? Latest => _epochs.Count > 0 ? _epochs[^1] : null;

    /// <summary>Finished share of all epochs, 0-1.</summary>
    public double Progress => Latest is { TotalEpochs: > 0 } p ? (double)p.GlobalEpoch / p.TotalEpochs : Status == RunStatus.Done ? 1 : 0;

    public void Load(RunHistory history)
    {
        Status = history.Status;
        Error = history.Error;
        _epochs.Clear();
        _epochs.AddRange(history.Epochs.OrderBy(e => e.GlobalEpoch));
        Snapshot = history.LatestSnapshot;
        LastStep = history.LastStep;
        _messages.Clear();
        _messages.AddRange(history.Messages);
        EpochRevision++;
    }

    /// <summary>Applies an update; true when something visible changed.</summary>
    public bool Apply(RunUpdate update)
    {
        switch (update)
        {
            case RunStatusUpdate s:
                Status = s.Status;
                Error = s.Error;
                if (s.Status != RunStatus.Running) LastStep = null;
                return true;
            case RunEpochUpdate e:
                _epochs.RemoveAll(p => p.GlobalEpoch >= e.Point.GlobalEpoch);
                _epochs.Add(e.Point);
                EpochRevision++;
                return true;
            case RunSnapshotUpdate s:
                if (Snapshot is { } current && current.GlobalEpoch > s.Snapshot.GlobalEpoch) return false;
                Snapshot = s.Snapshot;
                return true;
            case RunStepUpdate s:
                LastStep = s;
                return true;
            case RunMessageUpdate m:
                _messages.Add(m.Text);
                return true;
            default:
                return false;
        }
    }
}
