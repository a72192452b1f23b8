using Medvis.Core.Storage;
using Medvis.Web.Extensions;
using Medvis.Web.Datasets;
using Medvis.Web.Results;
using Medvis.Web.Training;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Medvis.Web.Tests.Support;

/// <summary>
/// A bUnit context for pages over a real LiteDB database in a temporary folder, with helpers that register the
/// app's real services in groups (datasets, run planning) as a page needs them.
/// </summary>
public abstract class DatabasePageTestContext : MudTestContext
{
    protected DatabasePageTestContext()
    {
        Database = new MedvisDatabase(Folder.File("medvis.db"));
        Services.AddSingleton(Database);
        Services.AddLogging();
    }

    /// <summary>A temporary folder removed after the test.</summary>
    protected TempDirectory Folder { get; } = new();

    /// <summary>The page's database.</summary>
    protected MedvisDatabase Database { get; }

    /// <summary>The dataset catalog, decoders and metrics the dataset pages use.</summary>
    protected void AddDatasetServices()
    {
        Services.AddMemoryCache();
        Services.AddOptions<MedvisOptions>();
        Services.AddCoreAdapters();
        Services.AddSingleton<DatasetService>();
    }

    /// <summary>Queueing, cancelling and deleting runs, without a worker: queued runs stay queued.</summary>
    protected void AddRunPlanning()
    {
        Services.AddSignalR();
        Services.AddSingleton<TrainingQueue>();
        Services.AddSingleton<RunCancellations>();
        Services.AddSingleton<TrainingNotifier>();
        Services.AddSingleton<RunPlanner>();
    }

    /// <summary>MudBlazor's dialogs, menus and selects need a popover provider on the page.</summary>
    protected void RenderPopoverProvider() => Render<MudPopoverProvider>();

    protected override void DisposeResources()
    {
        Database.Dispose();
        Folder.Dispose();
    }
}
