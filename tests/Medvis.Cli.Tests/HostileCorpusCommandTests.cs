using Medvis.Core.Tests.Data;
using Medvis.Core.Tests.Data.Hostile;
using Xunit.Abstractions;

namespace Medvis.Cli.Tests;

/// <summary>
/// <c>medvis datasets info</c> on every input of the hostile corpus that the default limits govern: one error line
/// naming the file and the problem (or the summary), within the corpus's time and memory bounds.
/// </summary>
[Collection(nameof(HostileCommandCollection))]
public sealed class HostileCorpusCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> DefaultLimitCases => [.. HostileCorpus.Cases.Where(c => c.Limits is null).Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(DefaultLimitCases))]
    public void DatasetsInfoPrintsOneErrorLineOrTheSummaryWithinBounds(string name)
    {
        var hostile = HostileCorpus.Find(name);
        var spec = hostile.Build(_temp.Path);
        var result = (Code: 0, Output: "", Error: "");
        void Run()
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = CliApp.Run(["datasets", "info", spec], stdout, stderr);
            result = (code, stdout.ToString(), stderr.ToString());
        }

        Assert.Null(MeasureWithinBounds(name, Run));

        if (hostile.Refusal is null)
        {
            Assert.Equal((0, ""), (result.Code, result.Error));
            Assert.Contains("splits:", result.Output);
            return;
        }
        Assert.Equal(CliApp.ErrorExitCode, result.Code);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {spec}", line);
        Assert.Contains(hostile.Refusal, line);
    }

    private Exception? MeasureWithinBounds(string name, Action action) => HostileBounds.Measure(output, name, action);
}

/// <summary>The corpus measures process-wide memory, so its command tests run alone.</summary>
[CollectionDefinition(nameof(HostileCommandCollection), DisableParallelization = true)]
public sealed class HostileCommandCollection;
