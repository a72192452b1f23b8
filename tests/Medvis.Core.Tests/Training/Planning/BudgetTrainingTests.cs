using Medvis.Core.Training;

namespace Medvis.Core.Tests.Training.Planning;

public class BudgetTrainingTests
{
    [Fact]
    public void ABudgetRunProbesPlansBeforeTrainingAndTrainsThePlannedEpochs()
    {
        var data = TrainingTestData.TwoClasses(64, seed: 3);
        var messages = new List<string>();
        var epochs = new List<EpochCompleted>();
        var options = TrainingTestData.TinyOptions([1, 1, 1]) with { BudgetMinutes = 0.15, SnapshotEvery = 0 };
        var result = new TSimCneTrainer(options).Train(data, new SynchronousProgress<TrainingEvent>(e =>
        {
            if (e is TrainingMessage m) messages.Add(m.Text);
            if (e is EpochCompleted done) epochs.Add(done);
        }));
        result.Model.Dispose();

        var plan = Assert.IsType<Medvis.Core.Training.Planning.SchedulePlan>(result.Plan);
        Assert.Equal("tiny", plan.Backbone);
        Assert.Contains(messages, m => m.StartsWith("Probe (", StringComparison.Ordinal) && m.Contains("tiny fp32"));
        var planIndex = messages.FindIndex(m => m.StartsWith("Plan for a 0.15-minute budget: tiny, fp32", StringComparison.Ordinal));
        Assert.True(planIndex >= 0, string.Join(" | ", messages));
        // The card's options are the plan as it ended, without the budget: they train the same map again.
        Assert.NotNull(result.Options);
        Assert.Null(result.Options!.BudgetMinutes);
        Assert.Equal(plan.EpochsPerStage, result.Options.EpochsPerStage);
        Assert.Equal(plan.EpochsPerStage.Sum(), epochs.Count);
        Assert.True(epochs.Count > 3, $"a 9-second budget of 64 images trains more than the 3 epochs given ({epochs.Count})");
    }

    [Fact]
    public void AResumedBudgetRunKeepsTheCheckpointsPlanInsteadOfPlanningAgain()
    {
        var data = TrainingTestData.TwoClasses(32, seed: 6);
        var options = TrainingTestData.TinyOptions([1, 1, 1]) with { BudgetMinutes = 0.1, SnapshotEvery = 0 };
        var store = new InMemoryCheckpointStore();
        using var cancel = new CancellationTokenSource();
        var firstEpochs = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => new TSimCneTrainer(options).Train(data,
            new SynchronousProgress<TrainingEvent>(e => { if (e is EpochCompleted done) { firstEpochs = done.TotalEpochs; if (done.GlobalEpoch == 2) cancel.Cancel(); } }),
            store, cancel.Token));

        var messages = new List<string>();
        var resumed = new TSimCneTrainer(options).Train(data, new SynchronousProgress<TrainingEvent>(e => { if (e is TrainingMessage m) messages.Add(m.Text); }), store);
        resumed.Model.Dispose();

        Assert.Contains(messages, m => m.StartsWith("Budget run resumed with its plan: tiny", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.StartsWith("Probe (", StringComparison.Ordinal));
        Assert.Equal(firstEpochs, resumed.Options!.EpochsPerStage.Sum());
    }

    [Fact]
    public void CheckpointsComeAfterTheFirstEpochAtEachStageEndAndOtherwiseNoMoreOftenThanTheMinimumInterval()
    {
        var data = TrainingTestData.TwoClasses(32, seed: 2);
        var saved = new List<int>();
        var store = new InMemoryCheckpointStore();
        var options = TrainingTestData.TinyOptions([5, 2, 3]) with { CheckpointMinSeconds = 3600, SnapshotEvery = 0 };
        new TSimCneTrainer(options).Train(data, new SynchronousProgress<TrainingEvent>(e => { if (e is CheckpointSaved c) saved.Add(c.GlobalEpoch); }), store).Model.Dispose();
        Assert.Equal([1, 5, 7, 10], saved);

        var everyEpoch = new List<int>();
        new TSimCneTrainer(options with { CheckpointMinSeconds = 0 }).Train(data,
            new SynchronousProgress<TrainingEvent>(e => { if (e is CheckpointSaved c) everyEpoch.Add(c.GlobalEpoch); }), new InMemoryCheckpointStore()).Model.Dispose();
        Assert.Equal(Enumerable.Range(1, 10), everyEpoch);
    }

    [Fact]
    public void SnapshotsStayWithinTheirShareOfTheTimeButEachStageEndTakesOne()
    {
        var data = TrainingTestData.TwoClasses(32, seed: 2);
        var options = TrainingTestData.TinyOptions([1, 2, 8]) with { SnapshotEvery = 1, SnapshotSize = 32 };
        int Snapshots(double overhead)
        {
            var count = 0;
            new TSimCneTrainer(options with { SnapshotMaxOverhead = overhead }).Train(data,
                new SynchronousProgress<TrainingEvent>(e => { if (e is EmbeddingSnapshot) count++; })).Model.Dispose();
            return count;
        }
        Assert.Equal(10, Snapshots(1.0));
        // A snapshot of 32 images costs far more than a millionth of an epoch: only the stage ends take one.
        Assert.Equal(2, Snapshots(1e-6));
    }

    [Fact]
    public void AbsurdBudgetsAreRefusedFieldByField()
    {
        Assert.Contains((new TrainingOptions { BudgetMinutes = 0 }).Problems(), p => p.Field == nameof(TrainingOptions.BudgetMinutes));
        Assert.Contains((new TrainingOptions { BudgetMinutes = double.NaN }).Problems(), p => p.Field == nameof(TrainingOptions.BudgetMinutes));
        Assert.Contains((new TrainingOptions { Backbone = "auto" }).Problems(), p => p.Field == nameof(TrainingOptions.Backbone) && p.Message.Contains("budget"));
        Assert.Empty((new TrainingOptions { Backbone = "auto", BudgetMinutes = 30 }).Problems());
        Assert.Contains((new TrainingOptions { ScheduleShape = "long" }).Problems(), p => p.Field == nameof(TrainingOptions.ScheduleShape));
    }
}
