using Medvis.Core.Runs;
using Medvis.Core.Storage;
using Medvis.Web.Apis;
using Medvis.Web.Components;
using Medvis.Web.Hubs;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace Medvis.Web.Extensions;

/// <summary>All of the web app's wiring, so Program.cs stays a few lines.</summary>
public static class MedvisServiceExtensions
{
    private const string SolutionFile = "Medvis.Web.sln";

    /// <summary>Configuration, storage, training service, hub, MudBlazor and the Blazor components.</summary>
    public static IHostApplicationBuilder AddMedvisServices(this IHostApplicationBuilder builder)
    {
        var repositoryRoot = FindRepositoryRoot(builder.Environment.ContentRootPath);
        AddRepositoryAppSettings(builder.Configuration, repositoryRoot);

        builder.Services.AddOptions<MedvisOptions>()
            .BindConfiguration(MedvisOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.DatabasePath), "Medvis:DatabasePath must name a file")
            .Validate(o => o.MaxConcurrentRuns is >= 1 and <= 64, "Medvis:MaxConcurrentRuns must be between 1 and 64")
            .Validate(o => o.GridCellThreshold >= 1, "Medvis:GridCellThreshold must be at least 1")
            .Validate(o => o.CpuQuick.EpochsPerStage is null or { Length: 3 }, "Medvis:CpuQuick:EpochsPerStage must list three stages")
            .ValidateOnStart();

        var baseFolder = repositoryRoot ?? builder.Environment.ContentRootPath;
        builder.Services.AddSingleton(sp =>
            new MedvisDatabase(Path.Combine(baseFolder, sp.GetRequiredService<IOptions<MedvisOptions>>().Value.DatabasePath)));

        // InputLimits.Validate throws naming the bad setting, so a bad limit stops the app at start.
        builder.Services.AddOptions<InputLimits>().BindConfiguration(InputLimits.ConfigurationSection)
            .Validate(limits => limits.Validate() is not null).ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<InputLimits>>().Value);
        builder.Services.AddMemoryCache();
        builder.Services.AddCoreAdapters();
        builder.Services.AddSingleton<DatasetService>();
        builder.Services.AddSingleton<ThumbnailRenderer>();
        builder.Services.AddSingleton<RunResults>();
        builder.Services.AddSingleton<RunQuality>();
        builder.Services.AddSingleton(sp => new RunPresetCatalog(sp.GetRequiredService<IOptions<MedvisOptions>>().Value.CpuQuick.ToOverrides()));
        builder.Services.AddSingleton<OutOfSampleService>();

        builder.Services.AddSingleton<TrainingQueue>();
        builder.Services.AddSingleton<RunCancellations>();
        builder.Services.AddSingleton<TrainingNotifier>();
        builder.Services.AddSingleton<IDatasetLoader>(sp => sp.GetRequiredService<DatasetService>());
        builder.Services.AddSingleton<MapRunPipeline>();
        builder.Services.AddSingleton<RunExecutor>();
        builder.Services.AddSingleton<RunPlanner>();
        builder.Services.AddSingleton<IMapTrainer, TSimCneMapTrainer>();
        builder.Services.AddHostedService<TrainingWorker>();

        builder.Services.AddSignalR();
        builder.Services.AddMudServices();
        // Lasso selections of thousands of points come back from plotly as one message: allow more than 32 KB.
        builder.Services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(o => o.MaximumReceiveMessageSize = 16 * 1024 * 1024);
        return builder;
    }

    /// <summary>The request pipeline, endpoints, hub and the demo dataset.</summary>
    public static WebApplication UseMedvis(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapMedvisApi();
        app.MapHub<TrainingHub>("/hubs/training");
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.Services.GetRequiredService<DatasetService>().EnsureDemoRegistered();
        return app;
    }

    /// <summary>The folder holding Medvis.Web.sln above <paramref name="start"/>, or null (a published app).</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        return null;
    }

    // The repository's appsettings.json is shared by the CLI and the web app. It goes first, so the project's
    // own appsettings, environment variables and the command line still override it.
    private static void AddRepositoryAppSettings(IConfigurationManager configuration, string? repositoryRoot)
    {
        if (repositoryRoot is null || !File.Exists(Path.Combine(repositoryRoot, "appsettings.json"))) return;
        var source = new JsonConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(repositoryRoot), Path = "appsettings.json", Optional = true, ReloadOnChange = false,
        };
        var projectSettings = configuration.Sources.ToList().FindIndex(s => s is JsonConfigurationSource);
        configuration.Sources.Insert(projectSettings < 0 ? 0 : projectSettings, source);
    }
}
