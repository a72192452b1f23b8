using Bunit;
using Medvis.Core.Storage;
using Medvis.Web.Components.Shared;
using Medvis.Web.Tests.Support;
using Medvis.Web.Training;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Components;

/// <summary>The live tiles: one labelled loss (the epoch mean the chart plots), the ETA and how it was reached, training time while running, stage-1 kNN.</summary>
public sealed class TrainingChartsTests : MudTestContext
{
    private static readonly DateTime Now = new(2026, 3, 4, 10, 0, 0, DateTimeKind.Utc);

    public TrainingChartsTests() => Services.AddSingleton<TimeProvider>(new FixedClock(Now));

    private static EpochPoint Epoch(int global, double loss, int stage = 1, double? knn = null, double? eta = 600, bool rough = false, double? speedUp = null) => new()
    {
        Stage = stage, Epoch = global - 1, EpochsInStage = 10, GlobalEpoch = global, TotalEpochs = 20, Loss = loss, LearningRate = 0.1,
        ImagesPerSecond = 100, ElapsedSeconds = global * 10, EtaSeconds = eta, EtaRough = rough, SpeedUp = speedUp, EpochSeconds = 10, KnnAccuracy = knn,
    };

    private static RunLiveState Live(RunStatus status, IReadOnlyList<EpochPoint> epochs, RunStepUpdate? step = null)
    {
        var live = new RunLiveState();
        live.Load(new RunHistory(1, status, null, epochs, null, step, []));
        return live;
    }

    private IRenderedComponent<TrainingCharts> RenderCharts(RunLiveState live, RunRecord? run = null) =>
        Render<TrainingCharts>(p => p.Add(c => c.Live, live).Add(c => c.Run, run).Add(c => c.ClassNames, ["a", "b"]));

    [Fact]
    public void TheLossTileShowsTheLastEpochsMeanLabelledNotTheLastBatch()
    {
        var live = Live(RunStatus.Running, [Epoch(1, 5.5), Epoch(2, 4.25)], new RunStepUpdate(1, 1, 2, 3, 10, 9.875));
        var cut = RenderCharts(live);

        Assert.Equal("4.2500", cut.Find("[data-testid=latest-loss]").TextContent.Trim());
        Assert.Equal("Loss (epoch 2 mean)", cut.Find("[data-testid=loss-label]").TextContent.Trim());
        Assert.DoesNotContain("9.875", cut.Markup);
    }

    [Fact]
    public void TrainingTimeCountsTheRunningAttemptInsteadOfZero()
    {
        var run = new RunRecord { Status = RunStatus.Running, TrainingSeconds = 100, AttemptStartedAtUtc = Now.AddSeconds(-65) };
        var cut = RenderCharts(Live(RunStatus.Running, [Epoch(1, 5)]), run);
        Assert.Equal("00:02:45", cut.Find("[data-testid=training-time]").TextContent.Trim());

        var done = new RunRecord { Status = RunStatus.Done, TrainingSeconds = 100, AttemptStartedAtUtc = Now.AddSeconds(-65) };
        cut = RenderCharts(Live(RunStatus.Done, [Epoch(1, 5)]), done);
        Assert.Equal("00:01:40", cut.Find("[data-testid=training-time]").TextContent.Trim());
    }

    [Fact]
    public void TheEtaSaysWhenItIsRoughAndLaterHowMuchEpochsSpedUp()
    {
        var cut = RenderCharts(Live(RunStatus.Running, [Epoch(1, 5, eta: 3725, rough: true)]));
        Assert.Equal("~01:02:05", cut.Find("[data-testid=eta]").TextContent.Trim());
        Assert.Contains("rough", cut.Find("[data-testid=eta-detail]").TextContent);

        cut = RenderCharts(Live(RunStatus.Running, [Epoch(1, 5), Epoch(2, 4, eta: 1800, speedUp: 1.94)]));
        Assert.Equal("00:30:00", cut.Find("[data-testid=eta]").TextContent.Trim());
        Assert.Contains("1.9× faster than the first", cut.Find("[data-testid=eta-detail]").TextContent);

        cut = RenderCharts(Live(RunStatus.Done, [Epoch(2, 4, eta: 0)]));
        Assert.Equal("done", cut.Find("[data-testid=eta]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=eta-detail]"));
    }

    [Fact]
    public void StageOneShowsTheLatestKnnOfItsOutputAndItsChart()
    {
        var cut = RenderCharts(Live(RunStatus.Running, [Epoch(1, 5), Epoch(2, 4.5, knn: 0.625), Epoch(3, 4.2)]));
        Assert.Equal("62.5%", cut.Find("[data-testid=latest-knn]").TextContent.Trim().Replace(" ", "", StringComparison.Ordinal));
        Assert.Contains("epoch 2, 128-d", cut.Markup);
        Assert.NotEmpty(cut.FindAll("#knn-chart"));

        cut = RenderCharts(Live(RunStatus.Running, [Epoch(1, 5)]));
        Assert.Empty(cut.FindAll("[data-testid=latest-knn]"));
        Assert.Empty(cut.FindAll("#knn-chart"));
    }

    private sealed class FixedClock(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now);
    }
}
