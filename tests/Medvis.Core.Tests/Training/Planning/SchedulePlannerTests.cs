using Medvis.Core.Training.Planning;

namespace Medvis.Core.Tests.Training.Planning;

public class SchedulePlannerTests
{
    private static readonly BackboneThroughput Resnet = new("resnet18", "bf16", 80), Small = new("small", "bf16", 1200), Tiny = new("tiny", "bf16", 2500);

    [Fact]
    public void ASmallDatasetGetsTheWholeReferenceScheduleOfTheBestBackboneThatFits()
    {
        // 546 images: the small backbone's 1,500 epochs take 546 × 1500 / 1200 s ≈ 11 min (+5%); ResNet18's would take hours.
        var plan = SchedulePlanner.Plan(30 * 60, 546, [Resnet, Small, Tiny], ScheduleShape.Cpu);

        Assert.Equal("small", plan.Backbone);
        Assert.Equal([1000, 50, 450], plan.EpochsPerStage);
        Assert.Equal("reference", plan.Shape);
        Assert.InRange(plan.ExpectedSeconds, 0, 30 * 60);
    }

    [Fact]
    public void ALargeDatasetGetsTheBestBackboneWithEnoughEpochsScaledToTheBudgetInTheShapesProportions()
    {
        // 11,964 images in 30 minutes: ResNet18 gets about 12 epochs, the small backbone about 180.
        var plan = SchedulePlanner.Plan(30 * 60, 11_964, [Resnet, Small, Tiny], ScheduleShape.Cpu);

        Assert.Equal("small", plan.Backbone);
        Assert.InRange(plan.EpochsPerStage.Sum(), SchedulePlanner.MinimumUsefulEpochs, 1500);
        Assert.InRange(plan.ExpectedSeconds, 0.95 * 30 * 60, 30 * 60);
        // 70 : 5 : 90 within rounding
        Assert.InRange(plan.EpochsPerStage[2] / (double)plan.EpochsPerStage[0], 90 / 70.0 - 0.05, 90 / 70.0 + 0.05);
        Assert.InRange(plan.EpochsPerStage[1], 4, 6);
    }

    [Fact]
    public void WhenNoBackboneGetsEnoughEpochsTheFastestTrainsAsLongAsItFits()
    {
        var plan = SchedulePlanner.Plan(60, 100_000, [Resnet, Small, Tiny], ScheduleShape.Cpu);

        Assert.Equal("tiny", plan.Backbone);
        Assert.All(plan.EpochsPerStage, e => Assert.True(e >= 1));
    }

    [Fact]
    public void NoPlanExceedsTheReferenceScheduleInAnyStage()
    {
        var plan = SchedulePlanner.Plan(1e7, 100, [Tiny], ScheduleShape.Reference);
        Assert.Equal([1000, 50, 450], plan.EpochsPerStage);
        var capped = SchedulePlanner.Plan(3000, 1000, [Tiny], ScheduleShape.Cpu);
        Assert.All(capped.EpochsPerStage.Zip(SchedulePlanner.ReferenceEpochs), p => Assert.True(p.First <= p.Second));
    }

    [Fact]
    public void ReplanningAfterSlowEpochsShortensOnlyTheEpochsNotYetTrained()
    {
        var plan = SchedulePlanner.Plan(30 * 60, 11_964, [Small], ScheduleShape.Cpu);
        var stageOne = plan.EpochsPerStage[0];
        // 20 epochs in, stage 1 runs at half the planned speed, and the remaining time is what the plan promised.
        var slower = SchedulePlanner.Replan(plan, 20, 1, plan.EpochSeconds[0] * 2, plan.ExpectedSecondsFrom(20));

        Assert.True(slower.EpochsPerStage[0] >= 20);
        Assert.InRange(slower.EpochsPerStage[0] - 20, (stageOne - 20) / 2 - 1, (stageOne - 20) / 2 + 1);
        Assert.InRange(slower.ExpectedSecondsFrom(20), 0.97 * plan.ExpectedSecondsFrom(20), 1.03 * plan.ExpectedSecondsFrom(20));
        Assert.Equal(plan.EpochSeconds[2] * 2, slower.EpochSeconds[2], 9);
        Assert.True(SchedulePlanner.Drifted(plan, 1, plan.EpochSeconds[0] * 1.2));
        Assert.False(SchedulePlanner.Drifted(plan, 1, plan.EpochSeconds[0] * 1.1));
    }

    [Fact]
    public void AReplansLineSaysTheTimeLeftNotTheWholePlanAtTheNewSpeed()
    {
        // 98 stage-1 epochs done; one stage-2 epoch of 6 s and 11 stage-3 epochs of 30 s are left.
        var plan = new SchedulePlan("tiny", "bf16", [98, 1, 11], [60, 6, 30], 1700, "cpu", "test");

        Assert.Equal("tiny, bf16, epochs 98/1/11 (cpu shape), about 5.6 min of training left", plan.RemainingSummary(98));
        Assert.Equal("tiny, bf16, epochs 98/1/11 (cpu shape), about 103.6 min of training", plan.Summary);
    }

    [Fact]
    public void APlannedRunReplansOnlyWhenItsSteadySpeedDrifts()
    {
        var plan = new SchedulePlan("small", "fp32", [20, 2, 20], [1.05, 0.42, 1.05], 60, "cpu", "test");
        var onPlan = new PlannedRun(plan, 42);
        for (var epoch = 1; epoch <= 6; epoch++) Assert.Null(onPlan.Observe(1, 1.0, epoch));

        var slow = new PlannedRun(plan, 42);
        Assert.Null(slow.Observe(1, 5.0, 1)); // the stage's first epoch pays for warm-up and is not judged alone
        for (var epoch = 2; epoch < PlannedRun.EpochsBeforeJudging; epoch++) Assert.Null(slow.Observe(1, 2.0, epoch));
        var replanned = slow.Observe(1, 2.0, PlannedRun.EpochsBeforeJudging);
        Assert.NotNull(replanned);
        Assert.True(replanned!.EpochsPerStage.Sum() < 42);
        Assert.Equal(1, slow.Replans);
    }

    [Fact]
    public void StageOneIsPlannedAtTheProbesSpeedWhichRealRunsNowMeetAndStagesTwoAndThreeCostLess()
    {
        // A quiet 2-core Xeon probed tiny bf16 at 1,900 images/s at batch 256 and trained stage 1 at 2,160–2,330:
        // planning at the probe's own speed (plus 5% overhead) books no less time than the epochs take.
        var costs = SchedulePlanner.EpochSeconds(11_964, new BackboneThroughput("tiny", "bf16", 1900));
        Assert.Equal(11_964 / 1900.0 * 1.05, costs[0], 6);
        Assert.InRange(11_964 / 2160.0, 0, costs[0]);
        Assert.Equal(0.25 * costs[0], costs[1], 6);
        Assert.Equal(0.7 * costs[0], costs[2], 6);
    }

    [Fact]
    public void EpochTimesThatWanderAroundThePlanDoNotReplan()
    {
        var plan = new SchedulePlan("small", "bf16", [60, 5, 80], [1.05, 0.26, 0.74], 100, "cpu", "test");
        var run = new PlannedRun(plan, 100);
        // ±13% epoch to epoch, as a quiet 2-core machine shows (850–1,100 images/s around 1,000), with a slow first epoch.
        var times = new[] { 2.0, 0.87, 1.13, 0.9, 1.13, 1.1, 0.87, 1.0, 1.13, 0.87, 0.9, 1.13, 1.1, 0.87, 1.0, 1.13 };
        for (var epoch = 1; epoch <= times.Length; epoch++) Assert.Null(run.Observe(1, times[epoch - 1], epoch));
        Assert.Equal(0, run.Replans);
    }

    [Fact]
    public void AfterAReplanTheRunWaitsForNewEpochsBeforeJudgingAgain()
    {
        var plan = new SchedulePlan("small", "fp32", [40, 2, 40], [1.05, 0.26, 0.74], 100, "cpu", "test");
        var run = new PlannedRun(plan, 60);
        Assert.Null(run.Observe(1, 3.0, 1));
        for (var epoch = 2; epoch < PlannedRun.EpochsBeforeJudging; epoch++) Assert.Null(run.Observe(1, 2.0, epoch));
        Assert.NotNull(run.Observe(1, 2.0, PlannedRun.EpochsBeforeJudging));
        // The same speed again: the plan already expects it.
        for (var epoch = PlannedRun.EpochsBeforeJudging + 1; epoch <= 3 * PlannedRun.EpochsBeforeJudging; epoch++) Assert.Null(run.Observe(1, 2.0, epoch));
        Assert.Equal(1, run.Replans);
    }
}
