using Bunit;
using Medvis.Core.Storage;
using Medvis.Web.Components.Pages;
using Medvis.Web.Components.Shared;
using Medvis.Web.Results;
using Medvis.Web.Tests.Support;
using Medvis.Web.Training;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Components;

/// <summary>The presenter view: map, a legend with sample images per class, the replay of stored snapshots, and nothing that changes anything.</summary>
public sealed class PresenterPageTests : DatabasePageTestContext
{
    public PresenterPageTests()
    {
        AddDatasetServices();
        AddRunPlanning();
        Services.AddSingleton<RunResults>();
    }

    private int StoreDoneRun(int snapshots)
    {
        var run = Database.Runs.Add(new RunRecord { Name = "blood cells, rotate", DatasetName = "demo", Status = RunStatus.Done });
        var labels = Enumerable.Range(0, 90).Select(i => i % 3).ToArray();
        var x = labels.Select((l, i) => (float)(l * 10 + i % 7)).ToArray();
        Database.Artifacts.SaveResult(new RunResult(run.Id, x, x, labels, Enumerable.Range(0, 90).ToArray(), FinishedMaps.ClassNames.Take(3).ToArray()));
        for (var epoch = 1; epoch <= snapshots; epoch++)
            Database.Snapshots.Add(run.Id, new SnapshotPoint
            {
                Stage = epoch <= 2 ? 2 : 3, Epoch = epoch - 1, GlobalEpoch = 10 + epoch, Indices = [0, 1, 2], Labels = [0, 1, 2], X = [epoch, 0, 1], Y = [0, epoch, 1],
            }, 60);
        return run.Id;
    }

    [Fact]
    public void TheLegendShowsEveryClassWithSampleImagesOfThatClassAndOnlyViewControls()
    {
        var runId = StoreDoneRun(snapshots: 0);
        var cut = Render<Presenter>(p => p.Add(x => x.RunId, runId));

        Assert.Equal("blood cells, rotate", cut.Find("[data-testid=presenter-title]").TextContent.Trim());
        var classes = cut.FindAll("[data-testid=legend-class]");
        Assert.Equal(3, classes.Count);
        var result = Database.Artifacts.LoadResult(runId)!;
        for (var c = 0; c < 3; c++)
        {
            Assert.Contains(FinishedMaps.ClassNames[c], classes[c].TextContent);
            var thumbnails = classes[c].QuerySelectorAll("img");
            Assert.Equal(Presenter.ExamplesPerClass, thumbnails.Length);
            foreach (var img in thumbnails)
            {
                var point = int.Parse(img.GetAttribute("src")!.Split('/')[^1].Split('.')[0], System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(c, result.Labels[point]);
            }
        }
        Assert.All(cut.FindAll("button"), b => Assert.Equal("true", b.GetAttribute("data-view-control")));
        Assert.Empty(cut.FindAll("[data-testid=presenter-mode]")); // no snapshots: no replay to switch to
        Assert.Equal($"runs/{runId}", cut.Find("[data-testid=to-normal-view]").GetAttribute("href"));
    }

    [Fact]
    public async Task TheReplayStartsAtTheLastSnapshotScrubsAndPlaysToTheEnd()
    {
        var runId = StoreDoneRun(snapshots: 4);
        var cut = Render<SnapshotReplay>(p => p.Add(x => x.RunId, runId).Add(x => x.ClassNames, FinishedMaps.ClassNames.Take(3).ToArray()).Add(x => x.TotalEpochs, 14));

        Assert.Equal("Epoch 14 of 14 · stage 3 (fine-tuning)", cut.Find("[data-testid=replay-epoch]").TextContent.Trim());
        var slider = cut.FindComponent<MudBlazor.MudSlider<int>>();
        await cut.InvokeAsync(() => slider.Instance.ValueChanged.InvokeAsync(0));
        Assert.Equal("Epoch 11 of 14 · stage 2 (2-D layer only)", cut.Find("[data-testid=replay-epoch]").TextContent.Trim());
        Assert.Equal([1f, 0f, 1f], cut.FindComponent<ClassScatter>().Instance.X);

        cut.Find("[data-testid=replay-play]").Click();
        cut.WaitForAssertion(() => Assert.Equal("Epoch 14 of 14 · stage 3 (fine-tuning)", cut.Find("[data-testid=replay-epoch]").TextContent.Trim()), Patience);
        cut.WaitForAssertion(() => Assert.Equal("play", cut.Find("[data-testid=replay-play]").GetAttribute("aria-label")), Patience);
        Assert.Equal([4f, 0f, 1f], cut.FindComponent<ClassScatter>().Instance.X);
    }

    [Fact]
    public async Task TheReplayKeepsOneAxisRangeForEveryFrameHoldingAllFramesPoints()
    {
        var runId = StoreDoneRun(snapshots: 4); // frame e: x = [e, 0, 1], y = [0, e, 1]
        var cut = Render<SnapshotReplay>(p => p.Add(x => x.RunId, runId).Add(x => x.ClassNames, FinishedMaps.ClassNames.Take(3).ToArray()));
        var last = cut.FindComponent<ClassScatter>().Instance.Zoom;

        var slider = cut.FindComponent<MudBlazor.MudSlider<int>>();
        await cut.InvokeAsync(() => slider.Instance.ValueChanged.InvokeAsync(0));
        var first = cut.FindComponent<ClassScatter>().Instance.Zoom;

        Assert.Equal([1f, 0f, 1f], cut.FindComponent<ClassScatter>().Instance.X);
        Assert.Equal(last, first);
        Assert.NotNull(first);
        var z = first!.Value;
        Assert.True(z.X0 < 0 && z.X1 > 4 && z.Y0 < 0 && z.Y1 > 4, $"{z} does not hold every frame");
        Assert.True(z.X0 > -0.5 && z.X1 < 4.5, $"{z} is far wider than the frames");
    }

    [Fact]
    public void ATrainingRunIsShownLiveWithItsStageOneKnnThenItsSnapshotAndThenItsMap()
    {
        var run = Database.Runs.Add(new RunRecord { Name = "live lecture", DatasetName = "demo", Status = RunStatus.Running });
        var notifier = Services.GetRequiredService<TrainingNotifier>();
        var cut = Render<Presenter>(p => p.Add(x => x.RunId, run.Id));
        Assert.NotEmpty(cut.FindAll("[data-testid=presenter-live]"));

        notifier.Publish(new RunEpochUpdate(run.Id, new EpochPoint { Stage = 1, GlobalEpoch = 2, TotalEpochs = 6, KnnAccuracy = 0.5 }));
        cut.WaitForAssertion(() => Assert.Equal("2 of 6", cut.Find("[data-testid=live-epoch]").TextContent), Patience);
        Assert.Contains("128-d output", cut.Markup);
        Assert.Equal("50.0%", cut.Find("[data-testid=live-knn]").TextContent.Replace(" ", "", StringComparison.Ordinal));
        Assert.NotEmpty(cut.FindAll("#presenter-knn"));

        notifier.Publish(new RunSnapshotUpdate(run.Id, new SnapshotPoint { Stage = 2, GlobalEpoch = 5, Indices = [0, 1], Labels = [0, 1], X = [1, 2], Y = [3, 4] }));
        cut.WaitForAssertion(() => Assert.Equal([1f, 2f], cut.FindComponent<ClassScatter>().Instance.X), Patience);

        var labels = Enumerable.Range(0, 30).Select(i => i % 3).ToArray();
        var x = labels.Select(l => (float)l).ToArray();
        Database.Artifacts.SaveResult(new RunResult(run.Id, x, x, labels, Enumerable.Range(0, 30).ToArray(), FinishedMaps.ClassNames.Take(3).ToArray()));
        Database.Runs.Update(run.Id, r => r.Status = RunStatus.Done);
        notifier.Publish(new RunStatusUpdate(run.Id, RunStatus.Done, null));
        cut.WaitForAssertion(() => Assert.Equal(3 * Presenter.ExamplesPerClass, cut.FindAll("[data-testid=legend-thumbnail]").Count), Patience);
        Assert.Empty(cut.FindAll("[data-testid=presenter-live]"));
        Assert.Equal(30, cut.FindComponent<ClassScatter>().Instance.X.Length);
    }

    [Fact]
    public void ARunWithoutSnapshotsSaysSoInsteadOfAnEmptyPlayer()
    {
        var runId = StoreDoneRun(snapshots: 0);
        var cut = Render<SnapshotReplay>(p => p.Add(x => x.RunId, runId));
        Assert.NotEmpty(cut.FindAll("[data-testid=replay-empty]"));
        Assert.Empty(cut.FindAll("[data-testid=replay-play]"));
    }
}
