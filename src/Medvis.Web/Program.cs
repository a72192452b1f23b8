using Medvis.Web.Extensions;

var builder = WebApplication.CreateBuilder(args);
// Run from the build output (scripts/run-web.sh) in Production, the packages' assets (MudBlazor, blazor.web.js)
// are found only through the static web assets manifest; a published app has none and serves wwwroot as is.
builder.WebHost.UseStaticWebAssets();
builder.AddMedvisServices();

var app = builder.Build();
app.UseMedvis();
app.Run();

/// <summary>Entry point; public so integration tests can host the app.</summary>
public partial class Program;
