using Medvis.Core.Data;

namespace Medvis.Core.Tests.Data;

public class SingleFlightDatasetLoaderTests
{
    private static ImageDataset Tiny() => new("tiny", new byte[4], 1, 1, 2, 2, [0], ["a"]);

    [Fact]
    public async Task ConcurrentLoadsOfOneSplitShareOneLoad()
    {
        var loads = 0;
        using var release = new ManualResetEventSlim();
        var loader = new SingleFlightDatasetLoader((_, _, _) =>
        {
            Interlocked.Increment(ref loads);
            release.Wait(TimeSpan.FromSeconds(10));
            return Tiny();
        });

        var first = loader.LoadAsync("demo", DatasetSplit.Train, 28);
        var second = loader.LoadAsync(" DEMO ", DatasetSplit.Train, 28);
        var otherSplit = loader.LoadAsync("demo", DatasetSplit.Test, 28);
        release.Set();

        Assert.Same(await first, await second);
        Assert.NotSame(await first, await otherSplit);
        Assert.Equal(2, loads);
    }

    [Fact]
    public async Task AFinishedLoadIsNotCachedAndAFailureReachesEveryWaiter()
    {
        var loads = 0;
        using var release = new ManualResetEventSlim();
        var loader = new SingleFlightDatasetLoader((spec, _, _) =>
        {
            Interlocked.Increment(ref loads);
            release.Wait(TimeSpan.FromSeconds(10));
            throw new DatasetFormatException(spec, "broken");
        });

        var first = loader.LoadAsync("x.npz", DatasetSplit.Train, 28);
        var second = loader.LoadAsync("x.npz", DatasetSplit.Train, 28);
        release.Set();

        Assert.Equal("broken", (await Assert.ThrowsAsync<DatasetFormatException>(() => first)).Problem);
        Assert.Equal("broken", (await Assert.ThrowsAsync<DatasetFormatException>(() => second)).Problem);
        Assert.Equal(1, loads);
        await Assert.ThrowsAsync<DatasetFormatException>(() => loader.LoadAsync("x.npz", DatasetSplit.Train, 28));
        Assert.Equal(2, loads);
    }

    [Fact]
    public async Task ASpecWithAPartAfterItsPathIsLoadedAsWrittenCapitalsIncluded()
    {
        string? loaded = null;
        var loader = new SingleFlightDatasetLoader((spec, _, _) =>
        {
            loaded = spec;
            return new ImageDataset("x", new byte[4], 1, 1, 2, 2, [0], ["a"]);
        });

        await loader.LoadAsync(" /tmp/Medvis-Test-AbC/images|labels=/tmp/Medvis-Test-AbC/metadata.csv|label=dx ", DatasetSplit.Train, 28);

        Assert.Equal("/tmp/Medvis-Test-AbC/images|labels=/tmp/Medvis-Test-AbC/metadata.csv|label=dx", loaded);
    }
}
