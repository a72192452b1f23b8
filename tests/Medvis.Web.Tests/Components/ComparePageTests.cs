using Medvis.Core.Evaluation;
using Bunit;
using Medvis.Core.Storage;
using Medvis.Web.Components.Pages;
using Medvis.Web.Components.Shared;
using Medvis.Web.Datasets;
using Medvis.Web.Extensions;
using Medvis.Web.Results;
using Medvis.Web.Training;
using Medvis.Web.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Components;

/// <summary>The compare page over finished runs stored in a real database.</summary>
public sealed class ComparePageTests : DatabasePageTestContext
{
    public ComparePageTests()
    {
        AddDatasetServices();
        Services.AddSingleton<RunResults>();
        RenderPopoverProvider();
    }

    private int FinishedRun(string name, float spread)
    {
        var run = Database.Runs.Add(new RunRecord { Name = name, Status = RunStatus.Done, DatasetName = "toy", TrainingSeconds = 12 });
        var random = new Random(run.Id);
        var labels = Enumerable.Range(0, 60).Select(i => i % 3).ToArray();
        var x = labels.Select(l => l * 10 + spread * (float)random.NextDouble()).ToArray();
        var y = labels.Select(_ => spread * (float)random.NextDouble()).ToArray();
        Database.Artifacts.SaveResult(new RunResult(run.Id, x, y, labels, Enumerable.Range(0, 60).ToArray(), ["a", "b", "c"]));
        Database.Artifacts.SaveMetricsJson(run.Id, MapEvaluator.Evaluate(MapPoints.FromColumns(x, y), labels, ["a", "b", "c"]).ToJson());
        return run.Id;
    }

    [Fact]
    public void PreselectedRunsAppearSideBySideWithTheirMetricsAndConfig()
    {
        var tight = FinishedRun("tight clusters", 1);
        var mixed = FinishedRun("mixed", 60);
        Database.Runs.Add(new RunRecord { Name = "still training", Status = RunStatus.Running });
        Services.GetRequiredService<NavigationManager>().NavigateTo($"compare?runs={tight},{mixed}");

        var cut = Render<Compare>();

        var panels = cut.FindComponents<MetricsPanel>();
        Assert.Equal(2, panels.Count);
        Assert.Equal(1.0, panels[0].Instance.Metrics!.KnnAccuracy);
        Assert.True(panels[1].Instance.Metrics!.KnnAccuracy < 1.0);
        Assert.Equal(2, cut.FindComponents<ClassScatter>().Count);
        Assert.Equal(2, cut.FindComponents<OptionsSummary>().Count);
        Assert.Contains("tight clusters", cut.Markup);
        Assert.DoesNotContain("still training", cut.Markup);
    }

    [Fact]
    public void FewerThanTwoRunsAskForMore()
    {
        var only = FinishedRun("alone", 1);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"compare?runs={only}");

        var cut = Render<Compare>();

        Assert.Contains("Pick 2 to 4 finished runs", cut.Markup);
        Assert.Empty(cut.FindComponents<ClassScatter>());
    }
}
