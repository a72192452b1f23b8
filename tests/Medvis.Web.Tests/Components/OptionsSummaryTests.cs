using Bunit;
using Medvis.Core.Storage;
using Medvis.Core.Training;
using Medvis.Web.Components.Shared;
using Medvis.Web.Tests.Support;

namespace Medvis.Web.Tests.Components;

public sealed class OptionsSummaryTests : MudTestContext
{
    [Fact]
    public void AnImportedMapSaysWhereItCameFromInsteadOfShowingTrainingSettingsItNeverHad()
    {
        var imported = new RunRecord
        {
            Kind = RunKind.Imported, Name = "openTSNE", DatasetId = 3, DatasetName = "blood cells",
            Messages = ["imported from tsne.csv: 1,200 points of blood cells (Train)"],
            CreatedAtUtc = new DateTime(2026, 12, 3, 19, 0, 0, DateTimeKind.Utc),
        };
        var cut = Render<OptionsSummary>(p => p.Add(c => c.Run, imported));

        Assert.Equal("imported from tsne.csv: 1,200 points of blood cells (Train)", cut.Find("[data-testid=imported-source]").TextContent);
        Assert.Contains("2026-12-03 19:00:00Z", cut.Markup);
        Assert.DoesNotContain("Backbone", cut.Markup);
        Assert.Empty(cut.FindAll("[data-testid=run-config]"));

        var trained = new RunRecord { Kind = RunKind.Trained, OptionsJson = TrainingOptionsJson.Serialize(new TrainingOptions { Backbone = "small" }) };
        var trainedCut = Render<OptionsSummary>(p => p.Add(c => c.Run, trained));
        Assert.Contains("small", trainedCut.Find("[data-testid=run-config]").TextContent);
    }

    [Fact]
    public void ATimedRunShowsItsBudgetInsteadOfThePresetsEpochs()
    {
        var timed = new RunRecord
        {
            Kind = RunKind.Trained,
            OptionsJson = TrainingOptionsJson.Serialize(new TrainingOptions { Backbone = TrainingOptions.AutoBackbone, BudgetMinutes = 30, Precision = "auto" }),
        };
        var cut = Render<OptionsSummary>(p => p.Add(c => c.Run, timed));
        Assert.StartsWith("30 min: a probe of the machine picks the backbone, the precision, the epochs", cut.Find("[data-testid=config-budget]").TextContent);
        Assert.DoesNotContain("Epochs per stage", cut.Markup);
    }
}
