using Medvis.Core.Data;
using Xunit.Abstractions;

namespace Medvis.Core.Tests.Data.Hostile;

/// <summary>The hostile corpus measures process-wide memory, so it runs alone.</summary>
[CollectionDefinition(nameof(HostileCorpusCollection), DisableParallelization = true)]
public sealed class HostileCorpusCollection;

/// <summary>
/// Every input of <see cref="HostileCorpus"/> goes through the loaders and the upload decoder (and, in
/// Medvis.Cli.Tests, <c>medvis datasets info</c>): each ends in one line naming the file and the problem (or is accepted), within a time and memory bound.
/// </summary>
[Collection(nameof(HostileCorpusCollection))]
public sealed class HostileCorpusTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> AllCases => [.. HostileCorpus.Cases.Select(c => c.Name)];
    public static TheoryData<string> UploadCases => [.. HostileCorpus.Cases.Where(c => c.Upload is not null).Select(c => c.Name)];

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

    private Exception? MeasureWithinBounds(string name, Action action) => HostileBounds.Measure(output, name, action);

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
