using Bunit;
using Bunit.TestDoubles;
using Medvis.Core.Data;
using Medvis.Core.Storage;
using Medvis.Web.Auth;
using Medvis.Web.Extensions;
using Medvis.Web.Datasets;
using Medvis.Web.Results;
using Medvis.Web.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor;

namespace Medvis.Web.Tests.Support;

/// <summary>
/// A bUnit context for pages over a real LiteDB database in a temporary folder, with helpers that register the
/// app's real services in groups (datasets, run planning) as a page needs them. The page's user is an admin
/// until a test calls <see cref="SignInAs"/>.
/// </summary>
public abstract class DatabasePageTestContext : MudTestContext
{
    protected DatabasePageTestContext()
    {
        Database = new MedvisDatabase(Folder.File("medvis.db"));
        Services.AddSingleton(Database);
        Services.AddLogging();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<CallerResolver>();
        Services.AddScoped<CurrentCaller>();
        Services.AddSingleton<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider());
        Services.AddSingleton<LiveSessions>();
        Services.AddSingleton<ShareLinks>();
        Services.AddSingleton(new DataRoots([System.IO.Path.GetTempPath(), SharedData.Folder ?? System.IO.Path.GetTempPath()], Folder.Path));
        _authorization = AddAuthorization();
        User = SignInAs(UserRole.Admin);
    }

    private readonly BunitAuthorizationContext _authorization;

    /// <summary>The signed-in user the page sees.</summary>
    protected UserRecord User { get; private set; }

    /// <summary>The caller the services see for <see cref="User"/>.</summary>
    protected Caller Caller => Caller.For(User);

    /// <summary>Makes the page's user a stored user of <paramref name="role"/> (created as "page-&lt;role&gt;" when missing).</summary>
    protected UserRecord SignInAs(UserRole role)
    {
        var name = $"page-{role.ToString().ToLowerInvariant()}";
        User = Database.Users.FindByName(name) ?? Database.Users.Add(name, role);
        _authorization.SetAuthorized(User.Name);
        _authorization.SetRoles(role.ToString());
        _authorization.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, User.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return User;
    }

    /// <summary>A temporary folder removed after the test.</summary>
    protected TempFolder Folder { get; } = new();

    /// <summary>The page's database.</summary>
    protected IMedvisStore Database { get; }

    /// <summary>The dataset catalog, decoders and metrics the dataset pages use.</summary>
    protected void AddDatasetServices()
    {
        Services.AddMemoryCache();
        Services.AddOptions<MedvisOptions>();
        Services.AddCoreAdapters();
        Services.AddSingleton<DatasetService>();
        Services.TryAddSingleton(InputLimits.Default);
        Services.TryAddSingleton(Core.Storage.FreeSpaceRule.Default);
        Services.AddSingleton<DatasetUploads>();
        Services.TryAddSingleton(Core.Data.Metadata.MetadataLimits.Default);
        Services.AddSingleton<DatasetMetadataService>();
    }

    /// <summary>Queueing, cancelling and deleting runs, without a worker: queued runs stay queued.</summary>
    protected void AddRunPlanning()
    {
        Services.AddSignalR();
        Services.AddSingleton<TrainingQueue>();
        Services.AddSingleton<RunCancellations>();
        Services.AddSingleton<IRunDispatcher, InProcessRunDispatcher>();
        Services.AddSingleton<TrainingNotifier>();
        Services.AddSingleton<RunPlanner>();
        Services.AddSingleton<MapImportService>();
    }

    /// <summary>MudBlazor's dialogs, menus and selects need a popover provider on the page.</summary>
    protected void RenderPopoverProvider() => Render<MudPopoverProvider>();

    protected override void DisposeResources()
    {
        Database.Dispose();
        Folder.Dispose();
    }
}
