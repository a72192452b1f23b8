using Medvis.Core.Training;

namespace Medvis.Core.Tests.Training;

/// <summary>The ETA on synthetic epoch timings: stages of different cost, a slow first epoch, resumed runs.</summary>
public class TrainingEtaTests
{
    /// <summary>cpu-budget's shape: [70, 5, 90] with a first epoch twice as slow as the steady 10 s.</summary>
    private static readonly int[] Budget = [70, 5, 90];

    [Fact]
    public void NoEstimateBeforeTheFirstEpoch() => Assert.Null(new TrainingEta(Budget).Estimate(0));

    [Fact]
    public void AfterTheSlowFirstEpochTheEstimateIsRoughAndAssumesTheSpeedUp()
    {
        var eta = new TrainingEta(Budget);
        eta.Add(1, 20);
        var estimate = eta.Estimate(1)!;
        Assert.True(estimate.Rough);
        Assert.Null(estimate.SpeedUp);
        var steady = 20 / TrainingEta.FirstEpochSpeedUpPrior;
        Assert.Equal((69 + 5 * TrainingEta.RelativeStageCost(2) + 90 * TrainingEta.RelativeStageCost(3)) * steady, estimate.Remaining.TotalSeconds, 6);
        // The old estimate, the first epoch times every epoch left, was far higher.
        Assert.True(estimate.Remaining.TotalSeconds < 0.7 * 20 * 164);
    }

    [Fact]
    public void SteadyEpochsReplaceThePriorAndTheSpeedUpIsMeasured()
    {
        var eta = new TrainingEta(Budget);
        eta.Add(1, 20);
        for (var i = 0; i < 9; i++) eta.Add(1, 10);
        var estimate = eta.Estimate(10)!;
        Assert.False(estimate.Rough);
        Assert.Equal(10, estimate.SecondsPerEpoch, 9);
        Assert.Equal(2.0, estimate.SpeedUp!.Value, 9);
        Assert.Equal(60 * 10 + 5 * 10 * TrainingEta.RelativeStageCost(2) + 90 * 10 * TrainingEta.RelativeStageCost(3), estimate.Remaining.TotalSeconds, 6);
    }

    [Fact]
    public void RecentEpochsFollowAChangeOfSpeedAndIgnoreASingleSpike()
    {
        var eta = new TrainingEta([100, 0, 0]);
        eta.Add(1, 30);
        for (var i = 0; i < 10; i++) eta.Add(1, 20);
        for (var i = 0; i < 10; i++) eta.Add(1, 8); // another job on the machine ended
        eta.Add(1, 60); // one epoch slowed by a burst of load
        var estimate = eta.Estimate(22)!;
        Assert.Equal(8, estimate.SecondsPerEpoch, 9);
        Assert.Equal(78 * 8, estimate.Remaining.TotalSeconds, 6);
    }

    [Fact]
    public void AMeasuredStageTwoReplacesItsRelativeCostAndDrivesTheRest()
    {
        var eta = new TrainingEta([4, 6, 10]);
        foreach (var s in new[] { 12.0, 10, 10, 10 }) eta.Add(1, s);
        var inStageOne = eta.Estimate(4)!;
        Assert.Equal(6 * 10 * TrainingEta.RelativeStageCost(2) + 10 * 10 * TrainingEta.RelativeStageCost(3), inStageOne.Remaining.TotalSeconds, 6);

        foreach (var s in new[] { 5.0, 2, 2 }) eta.Add(2, s); // stage 2 is cheaper than assumed: 2 s
        var inStageTwo = eta.Estimate(7)!;
        Assert.Equal(2, inStageTwo.SecondsPerEpoch, 9);
        // Stage 3 is derived from the newest measured stage: 2 s / 0.25 = 8 s a stage-1-like epoch, 0.7 of it for stage 3.
        Assert.Equal(3 * 2 + 10 * 2 / TrainingEta.RelativeStageCost(2) * TrainingEta.RelativeStageCost(3), inStageTwo.Remaining.TotalSeconds, 6);
    }

    [Fact]
    public void AResumedRunCountsTheEpochsDoneBeforeIt()
    {
        var eta = new TrainingEta([10, 0, 10]);
        eta.Add(3, 9);
        eta.Add(3, 6);
        eta.Add(3, 6);
        var estimate = eta.Estimate(13)!;
        Assert.Equal(7 * 6, estimate.Remaining.TotalSeconds, 6);
        Assert.Equal(1.5, estimate.SpeedUp!.Value, 9);
    }

    [Fact]
    public void TheLastEpochLeavesNothingAndBadInputIsRefusedOrIgnored()
    {
        var eta = new TrainingEta([2, 1, 1]);
        foreach (var stage in new[] { 1, 1, 2, 3 }) eta.Add(stage, 3);
        eta.Add(3, double.NaN);
        Assert.Equal(TimeSpan.Zero, eta.Estimate(4)!.Remaining);
        var finished = new TrainingEta([2, 1, 2]);
        foreach (var (stage, seconds) in new[] { (1, 3.0), (1, 3.0), (2, 1.0), (3, 5.0), (3, 5.0) }) finished.Add(stage, seconds);
        Assert.Equal(5, finished.Estimate(5)!.SecondsPerEpoch); // the last stage's cost, not stage 1's
        Assert.Throws<ArgumentException>(() => new TrainingEta([1, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => eta.Add(4, 1));
    }
}
