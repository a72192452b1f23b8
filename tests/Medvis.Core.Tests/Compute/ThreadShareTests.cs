using Medvis.Core.Compute;
using Medvis.Core.Tests.Data;

namespace Medvis.Core.Tests.Compute;

[Collection(ThreadShareCollection.Name)]
public sealed class ThreadShareTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(2, 1, 2)]
    [InlineData(2, 2, 1)]
    [InlineData(2, 3, 1)]
    [InlineData(16, 3, 5)]
    [InlineData(16, 0, 16)]
    public void EachTrainingGetsItsShareOfTheCoresAndAtLeastOneThread(int cores, int trainings, int threads) =>
        Assert.Equal(threads, ThreadShare.Of(cores, trainings));

    [Fact]
    public void AnExplicitThreadCountInTheEnvironmentWins()
    {
        Assert.Equal(3, ThreadShare.Explicit(name => name == ThreadShare.ThreadsVariable ? "3" : null));
        Assert.Equal(1, ThreadShare.Explicit(name => name == "OMP_NUM_THREADS" ? "1" : null));
        Assert.Null(ThreadShare.Explicit(name => name == "OMP_NUM_THREADS" ? "many" : null));
        Assert.Null(ThreadShare.Explicit(_ => null));
    }

    [Fact]
    public void TrainingsOfLiveProcessesCountAndThoseOfDeadOnesAreSwept()
    {
        var host = new HostTrainers(_temp.Path);
        using var first = host.Join(Environment.ProcessId);
        var second = host.Join(Environment.ProcessId);
        using var ofADeadProcess = host.Join(int.MaxValue);
        Assert.Equal(2, host.Count(HostTrainers.IsAlive));
        Assert.Equal(2, Directory.GetFiles(_temp.Path).Length);

        second.Dispose();
        Assert.Equal(1, host.Count(HostTrainers.IsAlive));
        Assert.True(HostTrainers.IsAlive(Environment.ProcessId));
        Assert.False(HostTrainers.IsAlive(int.MaxValue));
    }

    [Fact]
    public void ARunningTrainingGivesUpHalfTheCoresWhenASecondStartsAndTakesThemBackWhenItEnds()
    {
        var before = TorchSharp.torch.get_num_threads();
        try
        {
            var host = new HostTrainers(_temp.Path);
            using var first = new TrainerThreads(_ => null, host, cores: 4);
            Assert.Equal(4, first.Threads);
            Assert.False(first.Explicit);

            using (var second = new TrainerThreads(_ => null, host, cores: 4))
            {
                Assert.Equal(2, second.Threads);
                Assert.True(first.Rebalance());
                Assert.Equal((2, 2), (first.Threads, first.Trainings));
                Assert.Equal(2, TorchSharp.torch.get_num_threads());
            }
            Assert.True(first.Rebalance());
            Assert.Equal(4, first.Threads);
            Assert.False(first.Rebalance());

            using var fixedCount = new TrainerThreads(name => name == ThreadShare.ThreadsVariable ? "3" : null, host, cores: 4);
            Assert.True(fixedCount.Explicit);
            Assert.Equal(3, fixedCount.Threads);
            Assert.False(first.Rebalance()); // a fixed-count training does not register, so it takes no share
        }
        finally
        {
            TorchSharp.torch.set_num_threads(before);
        }
    }
}
