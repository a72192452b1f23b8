using Medvis.Core.Augmentation;
using Medvis.Core.Data;
using Medvis.Core.Storage;
using Medvis.Core.Tests.Data.Dicom;
using Medvis.Core.Training;
using Medvis.Web.Auth;
using Medvis.Web.Datasets;
using Medvis.Web.Results;
using Medvis.Web.Tests.Support;
using Medvis.Web.Training;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Integration;

/// <summary>A folder of generated DICOM files end to end: registered, its tags attached, a tiny map trained and coloured by them.</summary>
[Collection(TrainingCollection.Name)]
public sealed class DicomTrainingTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private readonly TempFolder _dir = new();

    [Fact]
    public async Task ADicomFolderRegistersAndTrainsATinyMapThatItsTagsColour()
    {
        DicomChestFolder.Write(_dir.File("cxr"), perClass: 16);
        await using var app = new MedvisAppFactory(_dir.File("medvis.db"));
        var registered = app.Services.GetRequiredService<DatasetService>().Register(Caller.System, _dir.File("cxr"), 16);
        Assert.True(registered.Succeeded, registered.Error);
        var dataset = registered.Dataset!;
        var metadata = app.Services.GetRequiredService<DatasetMetadataService>();
        Assert.Null(metadata.AttachFolderMetadata(Caller.System, dataset.Id).Error);
        var done = new TaskCompletionSource<RunStatusUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = app.Services.GetRequiredService<TrainingNotifier>().Subscribe(null, update =>
        {
            if (update is RunStatusUpdate { Status: RunStatus.Done or RunStatus.Failed or RunStatus.Cancelled } status) done.TrySetResult(status);
            return Task.CompletedTask;
        });

        var options = new TrainingOptions
        {
            Augmentation = AugmentationOptions.Rotate, Backbone = "tiny", BatchSize = 16, EpochsPerStage = [1, 1, 1],
            SnapshotEvery = 1, SnapshotSize = 32, Device = "cpu", Seed = 5,
        };
        var plan = app.Services.GetRequiredService<RunPlanner>().Queue(Caller.System, new RunRequest(dataset.Id, DatasetSplit.Train, options, Name: "cxr"));
        Assert.True(plan.Succeeded, string.Join("; ", plan.Errors));
        var final = await done.Task.WaitAsync(RunTimeout);

        Assert.True(final.Status == RunStatus.Done, $"run ended {final.Status}: {final.Error}");
        var run = app.Services.GetRequiredService<IMedvisStore>().Runs.Get(plan.Runs[0].Id)!;
        var result = app.Services.GetRequiredService<IMedvisStore>().Artifacts.LoadResult(run.Id)!;
        Assert.Equal(32, result.Count);
        var colours = metadata.ForRun(run)!;
        Assert.Contains("ViewPosition", colours.ColourColumns().Select(c => c.Name));
        Assert.Equal(["AP", "PA"], colours.Column("ViewPosition")!.Categories.Order());
        var names = app.Services.GetRequiredService<RunResults>().PointFileNames(run.Id)!;
        Assert.Contains("effusion/IM10001", names);
    }

    public void Dispose() => _dir.Dispose();
}
