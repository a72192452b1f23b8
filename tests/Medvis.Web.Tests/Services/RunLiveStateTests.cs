using Medvis.Core.Storage;
using Medvis.Web.Datasets;
using Medvis.Web.Extensions;
using Medvis.Web.Results;
using Medvis.Web.Training;

namespace Medvis.Web.Tests.Services;

public sealed class RunLiveStateTests
{
    private static EpochPoint Epoch(int global, double loss) => new() { GlobalEpoch = global, TotalEpochs = 10, Loss = loss, Stage = 1 };

    [Fact]
    public void AnEpochRepeatedAfterJoiningIsNotDrawnTwice()
    {
        var state = new RunLiveState();
        state.Load(new RunHistory(1, RunStatus.Running, null, [Epoch(1, 5), Epoch(2, 4)], null, null, []));

        state.Apply(new RunEpochUpdate(1, Epoch(2, 4)));
        state.Apply(new RunEpochUpdate(1, Epoch(3, 3)));

        Assert.Equal([1, 2, 3], state.Epochs.Select(e => e.GlobalEpoch));
        Assert.Equal(0.3, state.Progress, 6);
    }

    [Fact]
    public void AResumedRunReplacesTheEpochsAfterItsCheckpoint()
    {
        var state = new RunLiveState();
        state.Load(new RunHistory(1, RunStatus.Running, null, [Epoch(1, 5), Epoch(2, 4), Epoch(3, 3.5)], null, null, []));
        var revision = state.EpochRevision;

        state.Apply(new RunEpochUpdate(1, Epoch(2, 4.1)));

        Assert.Equal([1, 2], state.Epochs.Select(e => e.GlobalEpoch));
        Assert.Equal(4.1, state.Latest!.Loss);
        Assert.True(state.EpochRevision > revision);
    }

    [Fact]
    public void AnOlderSnapshotDoesNotReplaceANewerOne()
    {
        var state = new RunLiveState();
        state.Apply(new RunSnapshotUpdate(1, new SnapshotPoint { GlobalEpoch = 5 }));
        Assert.False(state.Apply(new RunSnapshotUpdate(1, new SnapshotPoint { GlobalEpoch = 4 })));
        Assert.Equal(5, state.Snapshot!.GlobalEpoch);
    }

    [Fact]
    public void AFinishedStatusClearsStepProgressAndKeepsTheError()
    {
        var state = new RunLiveState();
        state.Apply(new RunStepUpdate(1, 1, 0, 3, 10, 2.5));
        state.Apply(new RunStatusUpdate(1, RunStatus.Failed, "boom"));
        Assert.Null(state.LastStep);
        Assert.Equal("boom", state.Error);
        Assert.Equal(RunStatus.Failed, state.Status);
    }
}
