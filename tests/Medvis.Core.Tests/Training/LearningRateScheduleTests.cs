using Medvis.Core.Training;

namespace Medvis.Core.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void WarmupIsLinspaceFromZeroThenCosine()
    {
        Assert.Equal(0, LearningRateSchedule.At(0, 1000, 10, 0.12));
        Assert.Equal(0.12 * 5 / 9, LearningRateSchedule.At(5, 1000, 10, 0.12), 12);
        Assert.Equal(0.12, LearningRateSchedule.At(9, 1000, 10, 0.12), 12);
        Assert.Equal(0.12, LearningRateSchedule.At(10, 1000, 10, 0.12), 12);
        var last = LearningRateSchedule.At(999, 1000, 10, 0.12);
        Assert.InRange(last, 1e-9, 0.12 * 1e-4);
    }

    [Theory]
    [InlineData(10, 1000, 10)]
    [InlineData(10, 450, 10)]
    [InlineData(10, 30, 3)]
    [InlineData(10, 5, 1)]
    [InlineData(0, 50, 0)]
    public void WarmupMatchesTheReferenceForLongStagesAndShrinksForShortOnes(int reference, int epochs, int expected) =>
        Assert.Equal(expected, LearningRateSchedule.WarmupEpochs(reference, epochs));
}
