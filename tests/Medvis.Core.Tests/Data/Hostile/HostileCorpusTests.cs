using Medvis.Cli;
using Medvis.Core.Data;
using Xunit.Abstractions;

namespace Medvis.Core.Tests.Data.Hostile;

/// <summary>The hostile corpus measures process-wide memory, so it runs alone.</summary>
[CollectionDefinition(nameof(HostileCorpusCollection), DisableParallelization = true)]
public sealed class HostileCorpusCollection;

/// <summary>
/// Every input of <see cref="HostileCorpus"/> goes through the loaders, the upload decoder and <c>medvis datasets
/// info</c>: each ends in one line naming the file and the problem (or is accepted), within a time and memory bound.
/// </summary>
[Collection(nameof(HostileCorpusCollection))]
public sealed class HostileCorpusTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Generous for a busy two-core machine; a refusal takes milliseconds, what it prevents takes minutes.</summary>
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(5);
    private const long AllocationLimit = 256L << 20;
    private const long WorkingSetGrowthLimit = 384L << 20;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> AllCases => [.. HostileCorpus.Cases.Select(c => c.Name)];
    public static TheoryData<string> UploadCases => [.. HostileCorpus.Cases.Where(c => c.Upload is not null).Select(c => c.Name)];
    public static TheoryData<string> DefaultLimitCases => [.. HostileCorpus.Cases.Where(c => c.Limits is null).Select(c => c.Name)];

    [Fact]
    public void TheCorpusHoldsAtLeastThirtyDistinctCases()
    {
        Assert.True(HostileCorpus.Cases.Count >= 30, $"{HostileCorpus.Cases.Count} cases");
        Assert.Equal(HostileCorpus.Cases.Count, HostileCorpus.Cases.Select(c => c.Name).Distinct().Count());
        Assert.True(HostileCorpus.Cases.Count(c => c.Refusal is null) < HostileCorpus.Cases.Count / 4, "most cases must be refused");
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void TheLoaderRefusesWithOneLineOrAcceptsWithinBounds(string name)
    {
        var hostile = HostileCorpus.Find(name);
        var spec = hostile.Build(_temp.Path);
        void Load()
        {
            var source = DatasetCatalog.Open(spec, 28, hostile.Limits);
            source.Describe();
            source.Load(DatasetSplit.Train);
        }

        var error = MeasureWithinBounds(name, Load);

        AssertOutcome(hostile, error, spec);
    }

    [Theory]
    [MemberData(nameof(UploadCases))]
    public void TheUploadDecoderRefusesWithOneLineOrAcceptsWithinBounds(string name)
    {
        var hostile = HostileCorpus.Find(name);
        var fileName = "upload-" + name;
        var error = MeasureWithinBounds(name, () => ImageEncoding.DecodeImages([(fileName, hostile.Upload!)], 28, 3, limits: hostile.Limits));

        AssertOutcome(hostile, error, fileName);
    }

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

    /// <summary>Runs the action twice (the first run pays for JIT compilation) and bounds the second; returns its error.</summary>
    private Exception? MeasureWithinBounds(string name, Action action)
    {
        ResourceMeter.Measure(action);
        var (use, error) = ResourceMeter.Measure(action);
        output.WriteLine($"{name}: {use}; {error?.Message ?? "accepted"}");
        Assert.True(use.Elapsed < TimeLimit, $"{name} took {use.Elapsed.TotalSeconds:F1} s");
        Assert.True(use.AllocatedBytes < AllocationLimit, $"{name} allocated {use.AllocatedBytes / 1e6:F0} MB");
        Assert.True(use.PeakWorkingSetGrowth < WorkingSetGrowthLimit, $"{name} grew the working set by {use.PeakWorkingSetGrowth / 1e6:F0} MB");
        return error;
    }

    private static void AssertOutcome(HostileCase hostile, Exception? error, string namedPath)
    {
        if (hostile.Refusal is null)
        {
            Assert.Null(error);
            return;
        }
        var refusal = Assert.IsType<DatasetFormatException>(error);
        Assert.DoesNotContain('\n', refusal.Message);
        Assert.StartsWith(namedPath, refusal.Path);
        Assert.Contains(hostile.Refusal, refusal.Message);
    }
}

/// <summary>The meter behind the corpus bounds sees what it must: managed arrays and native bitmaps.</summary>
[Collection(nameof(HostileCorpusCollection))]
public sealed class ResourceMeterTests
{
    [Fact]
    public void ManagedAllocationsAreCounted()
    {
        var (use, error) = ResourceMeter.Measure(() => GC.KeepAlive(new byte[64 << 20]));
        Assert.Null(error);
        Assert.True(use.AllocatedBytes >= 64 << 20, use.ToString());
    }

    [Fact]
    public void NativeMemoryShowsInTheWorkingSet()
    {
        var (use, _) = ResourceMeter.Measure(() =>
        {
            using var bitmap = new SkiaSharp.SKBitmap(4096, 4096);
            bitmap.Erase(SkiaSharp.SKColors.White);
            Thread.Sleep(50);
        });
        Assert.True(use.PeakWorkingSetGrowth >= 48 << 20, use.ToString());
    }

    [Fact]
    public void ErrorsAreReturnedNotThrown()
    {
        var (_, error) = ResourceMeter.Measure(() => throw new InvalidOperationException("boom"));
        Assert.Equal("boom", Assert.IsType<InvalidOperationException>(error).Message);
    }
}
