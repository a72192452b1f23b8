using Medvis.Web.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddMedvisServices();

var app = builder.Build();
app.UseMedvis();
app.Run();

/// <summary>Entry point; public so integration tests can host the app.</summary>
public partial class Program;
