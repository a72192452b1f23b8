using System.Net;
using System.Threading.RateLimiting;
using Hangfire;
using Medvis.Core.Lab;
using Medvis.Core.Runs;
using Medvis.Core.Storage;
using Medvis.Web.Apis;
using Medvis.Web.Apis.V1;
using Medvis.Web.Auth;
using Medvis.Web.Components;
using Medvis.Web.Hubs;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

using Medvis.Web.Health;
using Medvis.Web.Telemetry;

namespace Medvis.Web.Extensions;

/// <summary>All of the web app's wiring, so Program.cs stays a few lines.</summary>
public static class MedvisServiceExtensions
{
    private const string SolutionFile = "Medvis.Web.sln";

    /// <summary>Configuration, storage, sign-in, training service, hub, MudBlazor and the Blazor components.</summary>
    public static IHostApplicationBuilder AddMedvisServices(this IHostApplicationBuilder builder)
    {
        var repositoryRoot = FindRepositoryRoot(builder.Environment.ContentRootPath);
        AddRepositoryAppSettings(builder.Configuration, repositoryRoot);

        builder.Services.AddOptions<MedvisOptions>()
            .BindConfiguration(MedvisOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.DatabasePath), "Medvis:DatabasePath must name a file")
            .Validate(o => o.Store is StoreKinds.LiteDb or StoreKinds.Postgres, "Medvis:Store must be litedb or postgres")
            .Validate<IConfiguration>((o, configuration) => o.Store != StoreKinds.Postgres || !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Medvis")),
                "Medvis:Store is postgres: ConnectionStrings:Medvis must name the database")
            .Validate(o => o.MaxConcurrentRuns is >= 1 and <= 64, "Medvis:MaxConcurrentRuns must be between 1 and 64")
            .Validate(o => o.MaxRunAttempts is >= 1 and <= 100, "Medvis:MaxRunAttempts must be between 1 and 100")
            .Validate(o => o.GridCellThreshold >= 1, "Medvis:GridCellThreshold must be at least 1")
            .Validate(o => new ReplaySettings(o.ReplaySnapshots).Problem() is null,
                $"Medvis:ReplaySnapshots must be between {ReplaySettings.MinMaxSnapshots} and {ReplaySettings.MaxMaxSnapshots}")
            .Validate(o => o.LargeMapPoints >= 0, "Medvis:LargeMapPoints must not be negative")
            .Validate(o => o.FeatureCacheRuns is >= 1 and <= 100, "Medvis:FeatureCacheRuns must be between 1 and 100")
            .Validate(o => o.CpuQuick.EpochsPerStage is null or { Length: 3 }, "Medvis:CpuQuick:EpochsPerStage must list three stages")
            .Validate(o => o.SignInAttemptsPerMinute is >= 1 and <= 10_000, "Medvis:SignInAttemptsPerMinute must be between 1 and 10000")
            .Validate(o => o.LiveSessionRecheckSeconds is >= 1 and <= 3600, "Medvis:LiveSessionRecheckSeconds must be between 1 and 3600")
            .Validate(o => o.ReverseProxy.KnownProxies.All(p => IPAddress.TryParse(p, out _)), "Medvis:ReverseProxy:KnownProxies must list IP addresses")
            .Validate(o => o.DataRoots.All(r => !string.IsNullOrWhiteSpace(r)), "Medvis:DataRoots must not hold empty entries")
            .Validate(o => o.Storage.FreeSpace.Problem() is null, $"{FreeSpaceRule.Setting} must be between 0 and {FreeSpaceRule.MaxMinFreeMegabytes}")
            .Validate(o => o.Telemetry.Otlp.Problem() is null, "Medvis:Telemetry:Otlp needs an http(s) Endpoint, a Protocol of grpc or http/protobuf and an ExportIntervalSeconds between 1 and 3600")
            .ValidateOnStart();

        var baseFolder = repositoryRoot ?? builder.Environment.ContentRootPath;
        builder.Services.PostConfigure<MedvisOptions>(o => o.UploadFolderPath =
            string.IsNullOrWhiteSpace(o.UploadFolder) ? "" : Path.GetFullPath(Path.Combine(baseFolder, o.UploadFolder.Trim())));
        builder.Services.AddSingleton(sp => OpenStore(sp.GetRequiredService<IOptions<MedvisOptions>>().Value, sp.GetRequiredService<IConfiguration>(), baseFolder,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<MedvisDatabase>()));
        builder.Services.AddSingleton(sp => CreateDataRoots(sp.GetRequiredService<IOptions<MedvisOptions>>().Value, baseFolder));
        builder.Services.AddMedvisHealthChecks(baseFolder);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<MedvisOptions>>().Value.Storage.FreeSpace);

        // InputLimits.Validate throws naming the bad setting, so a bad limit stops the app at start.
        builder.Services.AddOptions<InputLimits>().BindConfiguration(InputLimits.ConfigurationSection)
            .Validate(limits => limits.Validate() is not null).ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<InputLimits>>().Value);
        builder.Services.AddOptions<Core.Data.Metadata.MetadataLimits>().BindConfiguration(Core.Data.Metadata.MetadataLimits.ConfigurationSection)
            .Validate(limits => limits.Validate() is not null).ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<Core.Data.Metadata.MetadataLimits>>().Value);
        builder.Services.AddOptions<Core.Maps.Export.StandaloneMapOptions>().BindConfiguration(Core.Maps.Export.StandaloneMapOptions.ConfigurationSection)
            .Validate(options => options.Validate() is not null).ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<Core.Maps.Export.StandaloneMapOptions>>().Value);
        builder.Services.AddMemoryCache();
        builder.Services.AddCoreAdapters();
        builder.Services.AddSingleton<DatasetService>();
        builder.Services.AddSingleton<DatasetUploads>();
        builder.Services.AddSingleton<ThumbnailRenderer>();
        builder.Services.AddSingleton<RunResults>();
        builder.Services.AddSingleton<RunQuality>();
        builder.Services.AddSingleton<RunCropPositions>();
        builder.Services.AddSingleton<RunComparisons>();
        builder.Services.AddSingleton<LargeMaps>();
        builder.Services.AddSingleton<LargeComparisons>();
        builder.Services.AddSingleton<MapImportService>();
        builder.Services.AddSingleton(sp => new RunPresetCatalog(sp.GetRequiredService<IOptions<MedvisOptions>>().Value.CpuQuick.ToOverrides()));
        builder.Services.AddSingleton<OutOfSampleService>();
        builder.Services.AddSingleton(sp => new ReplaySettings(sp.GetRequiredService<IOptions<MedvisOptions>>().Value.ReplaySnapshots));
        builder.Services.AddSingleton<DatasetMetadataService>();
        builder.Services.AddSingleton<RunSimilarity>();
        builder.Services.AddSingleton<MapHtmlExport>();

        builder.Services.AddSingleton<TrainingNotifier>();
        builder.Services.AddSingleton<IDatasetLoader>(sp => sp.GetRequiredService<DatasetService>());
        builder.Services.AddSingleton<DatabaseMaintenance>();
        builder.Services.AddSingleton<RunPlanner>();
        builder.Services.AddInProcessTraining();
        builder.Services.AddLabQueue();
        // Which of the two trains is decided from the validated options when the app starts (not here, before
        // configuration is complete): the other one's services stay idle.
        builder.Services.AddSingleton<IRunDispatcher>(sp => ByMode<IRunDispatcher, LabRunDispatcher, InProcessRunDispatcher>(sp));
        builder.Services.AddSingleton<IWorkerHeartbeats>(sp => ByMode<IWorkerHeartbeats, HangfireWorkerHeartbeats, NoWorkerHeartbeats>(sp));
        builder.Services.AddSingleton<IWorkerPresence>(sp => ByMode<IWorkerPresence, LabWorkerPresence, InProcessWorkerPresence>(sp));
        builder.Services.AddMedvisTelemetry();

        builder.Services.AddMedvisAuth();
        builder.Services.AddRestApi();

        builder.Services.AddSignalR();
        builder.Services.AddMudServices();
        // Lasso selections of thousands of points come back from plotly as one message: allow more than 32 KB.
        builder.Services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(o => o.MaximumReceiveMessageSize = 16 * 1024 * 1024);
        return builder;
    }

    /// <summary>The embedded default: runs train in this process, one queue, cancels through tokens (idle in lab mode).</summary>
    public static IServiceCollection AddInProcessTraining(this IServiceCollection services)
    {
        services.AddSingleton<TrainingQueue>();
        services.AddSingleton<RunCancellations>();
        services.AddSingleton<InProcessRunDispatcher>();
        services.AddSingleton<InProcessWorkerPresence>();
        services.AddSingleton<NoWorkerHeartbeats>();
        services.AddSingleton<MapRunPipeline>();
        services.AddSingleton<IMapTrainer, TSimCneMapTrainer>();
        services.AddSingleton<IRunEvents, NotifierRunEvents>();
        services.AddSingleton<IRunSinkFactory, StoredRunSinkFactory>();
        services.AddSingleton<StoredRunExecutor>();
        services.AddHostedService<TrainingWorker>();
        return services;
    }

    /// <summary>
    /// Lab mode: runs go to the Hangfire queue in PostgreSQL for <c>medvis worker</c> processes (this app trains
    /// nothing), and the workers' progress comes back through LISTEN (idle in the embedded default).
    /// </summary>
    public static IServiceCollection AddLabQueue(this IServiceCollection services)
    {
        // Resolved only in lab mode, so the embedded default never touches Hangfire's storage.
        services.AddSingleton(new LabQueueSettings());
        services.AddHangfire((sp, c) => c.UseMedvisLabStorage(sp.GetRequiredService<IConfiguration>().GetConnectionString("Medvis")!, sp.GetRequiredService<LabQueueSettings>()));
        services.AddSingleton<LabRunDispatcher>();
        services.AddSingleton<HangfireWorkerHeartbeats>();
        services.AddSingleton<LabWorkerPresence>();
        services.AddHostedService<RunEventRelay>();
        return services;
    }

    /// <summary>
    /// Cookie sign-in, personal API tokens for the REST API, the role policies (a signed-in user is the fallback for every endpoint), Data Protection keys
    /// beside the database (cookies and share links survive a restart), the sign-in rate limit and forwarded headers.
    /// </summary>
    public static IServiceCollection AddMedvisAuth(this IServiceCollection services)
    {
        services.AddAuthentication(MedvisAuthentication.Scheme)
            .AddPolicyScheme(MedvisAuthentication.Scheme, MedvisAuthentication.Scheme, o => o.ForwardDefaultSelector = MedvisAuthentication.SchemeFor)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, _ => { })
            .AddCookie(o =>
            {
                o.LoginPath = "/account/login";
                o.AccessDeniedPath = "/account/denied";
                o.Cookie.Name = "medvis.auth";
                o.Cookie.HttpOnly = true;
                // Lax, not Strict: a share link opened from a mail or chat (another site) must carry its cookie
                // through the redirect to the run page. Foreign pages still cannot post with it, and their hub
                // connections are refused by CrossOriginHubGuard.
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromDays(7);
                o.Events = new CookieAuthenticationEvents
                {
                    OnValidatePrincipal = CookieChecks.ValidateAsync,
                    OnRedirectToLogin = c => CookieChecks.RedirectOrStatus(c, StatusCodes.Status401Unauthorized),
                    OnRedirectToAccessDenied = c => CookieChecks.RedirectOrStatus(c, StatusCodes.Status403Forbidden),
                };
            });
        var roles = Enum.GetNames<UserRole>();
        services.AddAuthorizationBuilder()
            .AddPolicy(MedvisClaims.UserPolicy, p => p.RequireRole(roles))
            .AddPolicy(MedvisClaims.ReaderPolicy, p => p.RequireAssertion(c =>
                roles.Any(c.User.IsInRole) || c.User.HasClaim(claim => claim.Type == MedvisClaims.ShareId)))
            .AddPolicy(MedvisClaims.MemberPolicy, p => p.RequireRole(nameof(UserRole.Member), nameof(UserRole.Admin)))
            .AddPolicy(MedvisClaims.AdminPolicy, p => p.RequireRole(nameof(UserRole.Admin)))
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireRole(roles).Build());
        services.AddCascadingAuthenticationState();

        services.AddDataProtection();
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<MedvisOptions>, IHostEnvironment, ILoggerFactory>((o, medvis, environment, logs) =>
            o.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(KeyFolder(medvis.Value, environment)), logs));

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(AccountEndpoints.SignInRateLimit, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<MedvisOptions>>().Value.SignInAttemptsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });

        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<MedvisOptions>>((f, medvis) =>
        {
            f.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in medvis.Value.ReverseProxy.KnownProxies) f.KnownProxies.Add(IPAddress.Parse(proxy));
        });

        services.AddSingleton<CallerResolver>();
        services.AddScoped<CurrentCaller>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<ShareLinks>();
        services.AddSingleton<ApiTokens>();
        services.AddSingleton<LiveSessions>();
        services.AddHostedService<LiveSessionRecheck>();
        services.AddSingleton<AdminSetup>();
        services.AddSingleton<AdminSetupAnnouncer>();
        services.AddHostedService(sp => sp.GetRequiredService<AdminSetupAnnouncer>());
        return services;
    }

    /// <summary>The request pipeline, endpoints, hub and the demo dataset.</summary>
    public static WebApplication UseMedvis(this WebApplication app)
    {
        // Outside Development no exception detail reaches a client: the error page shows only a request id.
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/Error", createScopeForErrors: true);
        if (app.Services.GetRequiredService<IOptions<MedvisOptions>>().Value.ReverseProxy.Enabled) app.UseForwardedHeaders();
        // Only page visits get the not-found page: API, hub and form requests keep their bare status code.
        app.UseWhen(c => HttpMethods.IsGet(c.Request.Method) && !CookieChecks.IsMachineRequest(c.Request.Path),
            branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        // REST API errors without a body of their own (a refused token's 401, a body that is not JSON) get a
        // problem details body, as every other API error has.
        app.UseWhen(c => c.Request.Path.StartsWithSegments(MedvisAuthentication.RestApiPath), branch => branch.UseStatusCodePages());
        app.UseMiddleware<CrossOriginHubGuard>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapMedvisHealthChecks();
        app.MapMedvisMetrics();
        app.MapAccountEndpoints();
        app.MapMedvisApi();
        app.MapRestApi();
        app.MapHub<TrainingHub>("/hubs/training");
        // The queue's dashboard (jobs, workers, retries) for admins alone, in lab mode.
        if (app.Services.GetRequiredService<IOptions<MedvisOptions>>().Value.Store == StoreKinds.Postgres)
            app.MapHangfireDashboardWithAuthorizationPolicy(MedvisClaims.AdminPolicy, "/hangfire", new DashboardOptions { AppPath = "/", DisplayStorageConnectionString = false });
        // Run pages and comparisons also open for share-link visitors (their circuits included); every other page
        // asks for a signed-in user with its own [Authorize] attribute.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().RequireAuthorization(MedvisClaims.ReaderPolicy);
        app.Services.GetRequiredService<DatasetService>().EnsureDemoRegistered();
        return app;
    }

    // Lab mode or the embedded default, decided from the validated options when first resolved: the other mode's
    // service is never created.
    private static TService ByMode<TService, TLab, TEmbedded>(IServiceProvider services)
        where TService : class where TLab : class, TService where TEmbedded : class, TService =>
        services.GetRequiredService<IOptions<MedvisOptions>>().Value.Store == StoreKinds.Postgres
            ? services.GetRequiredService<TLab>()
            : services.GetRequiredService<TEmbedded>();

    // The upload folder is a root of its own: the app decides what lands in it.
    private static DataRoots CreateDataRoots(MedvisOptions options, string baseFolder) =>
        new(options.UploadFolderPath.Length == 0 ? options.DataRoots : [.. options.DataRoots, options.UploadFolderPath], baseFolder);

    /// <summary>The store <see cref="MedvisOptions.Store"/> names; LiteDB paths are taken from <paramref name="baseFolder"/>.</summary>
    public static IMedvisStore OpenStore(MedvisOptions options, IConfiguration configuration, string baseFolder, ILogger? logger = null) => options.Store switch
    {
        StoreKinds.Postgres => new Core.Storage.Postgres.PostgresStore(configuration.GetConnectionString("Medvis")!),
        _ => new MedvisDatabase(Path.Combine(baseFolder, options.DatabasePath), options.Storage.FreeSpace, logger: logger),
    };

    // The Data Protection keys sit beside the LiteDB file in either store: they sign this web app's cookies and
    // links, and workers never need them.
    private static string KeyFolder(MedvisOptions options, IHostEnvironment environment)
    {
        var baseFolder = FindRepositoryRoot(environment.ContentRootPath) ?? environment.ContentRootPath;
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(Path.Combine(baseFolder, options.DatabasePath)))!, "keys");
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
