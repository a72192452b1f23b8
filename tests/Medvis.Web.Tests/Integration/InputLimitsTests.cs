using Medvis.Core.Storage;
using Medvis.Web.Datasets;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Integration;

/// <summary>The web app loads datasets under the input limits of its configuration.</summary>
public sealed class InputLimitsTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public async Task AConfiguredClassLimitRefusesADatasetByNameAndSetting()
    {
        var npz = SharedData.File("pbc-bloodcells-28.npz");
        await using var app = new MedvisAppFactory(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:InputLimits:MaxClasses"] = "4" });
        var datasets = app.Services.GetRequiredService<DatasetService>();

        var refused = datasets.Register(app.CallerOf(UserRole.Admin), npz);

        Assert.False(refused.Succeeded);
        Assert.StartsWith(npz, refused.Error);
        Assert.Contains("Medvis:InputLimits:MaxClasses", refused.Error);
        Assert.Empty(datasets.All());
    }

    [Fact]
    public async Task AnInvalidLimitStopsTheAppAtStart()
    {
        await using var app = new MedvisAppFactory(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:InputLimits:MaxClasses"] = "1" });

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("MaxClasses", error.ToString());
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("2000000")]
    public async Task AnInvalidFreeSpaceSettingStopsTheAppAtStart(string value)
    {
        await using var app = new MedvisAppFactory(_dir.File("medvis.db"), new Dictionary<string, string?> { ["Medvis:Storage:MinFreeMegabytes"] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("Medvis:Storage:MinFreeMegabytes must be between 0 and 1048576", error.ToString());
    }
}
