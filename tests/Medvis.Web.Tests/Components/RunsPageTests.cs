using Bunit;
using Medvis.Core.Storage;
using Medvis.Web.Components.Pages;
using Medvis.Web.Auth;
using Medvis.Web.Datasets;
using Medvis.Web.Extensions;
using Medvis.Web.Results;
using Medvis.Web.Training;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Medvis.Web.Tests.Components;

/// <summary>The run list with a real database and planner: ended runs can be deleted after a confirmation, live ones cannot.</summary>
public sealed class RunsPageTests : DatabasePageTestContext
{
    public RunsPageTests()
    {
        AddDatasetServices();
        AddRunPlanning();
        Services.AddSingleton<RunResults>();
    }

    private RunRecord AddRun(string name, RunStatus status, UserRecord? owner = null) =>
        Database.Runs.Add(new RunRecord
        {
            Name = name, DatasetName = "demo", Status = status, CreatedAtUtc = DateTime.UtcNow, OwnerId = owner?.Id ?? 0, OwnerName = owner?.Name ?? "",
        });

    [Fact]
    public void DeletingAnEndedRunAsksFirstAndRemovesIt()
    {
        var done = AddRun("finished map", RunStatus.Done);
        var queued = AddRun("waiting map", RunStatus.Queued);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<Runs>();

        Assert.Empty(cut.FindAll($"[data-testid=delete-run-{queued.Id}]"));
        cut.Find($"[data-testid=delete-run-{done.Id}]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("cannot be undone", dialogs.Markup), Patience);
        Assert.NotNull(Database.Runs.Get(done.Id));

        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").Click();

        cut.WaitForAssertion(() => Assert.DoesNotContain("finished map", cut.Markup), Patience);
        Assert.Null(Database.Runs.Get(done.Id));
        Assert.NotNull(Database.Runs.Get(queued.Id));
    }

    [Fact]
    public void KeepingTheRunInTheDialogDeletesNothing()
    {
        var done = AddRun("finished map", RunStatus.Failed);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<Runs>();

        cut.Find($"[data-testid=delete-run-{done.Id}]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("cannot be undone", dialogs.Markup), Patience);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Keep").Click();

        dialogs.WaitForAssertion(() => Assert.DoesNotContain("cannot be undone", dialogs.Markup), Patience);
        Assert.NotNull(Database.Runs.Get(done.Id));
        Assert.Contains("finished map", cut.Markup);
    }

    [Theory]
    [InlineData(UserRole.Viewer, false, false, false)]
    [InlineData(UserRole.Member, true, true, false)]
    [InlineData(UserRole.Admin, true, true, true)]
    public void EachRoleSeesOnlyTheButtonsItMayUse(UserRole role, bool newRun, bool ownRuns, bool othersRuns)
    {
        var me = SignInAs(role);
        var mineDone = AddRun("mine done", RunStatus.Done, me);
        var mineQueued = AddRun("mine queued", RunStatus.Queued, me);
        var othersDone = AddRun("others done", RunStatus.Done, owner: null);
        var othersQueued = AddRun("others queued", RunStatus.Queued, owner: null);

        var cut = Render<Runs>();

        Assert.Equal(newRun, cut.FindAll("[data-testid=new-run]").Count == 1);
        Assert.Equal(ownRuns, cut.FindAll($"[data-testid=delete-run-{mineDone.Id}]").Count == 1);
        Assert.Equal(ownRuns, cut.FindAll($"[data-testid=cancel-run-{mineQueued.Id}]").Count == 1);
        Assert.Equal(othersRuns, cut.FindAll($"[data-testid=delete-run-{othersDone.Id}]").Count == 1);
        Assert.Equal(othersRuns, cut.FindAll($"[data-testid=cancel-run-{othersQueued.Id}]").Count == 1);
    }

    [Fact]
    public void AForcedDeleteByAViewerIsRefusedByThePlanner()
    {
        SignInAs(UserRole.Viewer);
        var done = AddRun("finished map", RunStatus.Done);
        Assert.Throws<AccessDeniedException>(() => Services.GetRequiredService<RunPlanner>().Delete(Caller, done.Id));
        Assert.NotNull(Database.Runs.Get(done.Id));
    }

    [Fact]
    public void AMemberImportsAMapFromTheRunListAndLandsOnItsPage()
    {
        SignInAs(UserRole.Member);
        var cut = Render<Runs>();
        var panel = cut.FindComponent<Medvis.Web.Components.Shared.MapImportPanel>();
        // No dataset is registered here: the map stands alone.
        panel.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>()
            .UploadFiles(InputFileContent.CreateFromText("index,x,y\n0,1,2\n1,3,nan\n", "bad.csv"));
        cut.WaitForAssertion(() => Assert.Contains("bad.csv:3: 'nan' in column 'y' is not a finite number", cut.Find("[data-testid=map-import-error]").TextContent), Patience);
        Assert.Empty(Database.Runs.All());

        panel.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>()
            .UploadFiles(InputFileContent.CreateFromText("index,x,y\n0,1,2\n1,3,4\n", "open tsne.csv"));
        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        cut.WaitForAssertion(() => Assert.EndsWith($"runs/{Database.Runs.All().Single().Id}", navigation.Uri), Patience);
        var run = Database.Runs.All().Single();
        Assert.Equal((RunKind.Imported, "open tsne"), (run.Kind, run.Name));
    }

    [Fact]
    public void ViewersSeeNoImportPanel()
    {
        SignInAs(UserRole.Viewer);
        Assert.Empty(Render<Runs>().FindAll("[data-testid=map-import]"));
    }
}
