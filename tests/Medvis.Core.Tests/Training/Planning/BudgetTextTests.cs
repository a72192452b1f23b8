using Medvis.Core.Training.Planning;

namespace Medvis.Core.Tests.Training.Planning;

public class BudgetTextTests
{
    [Theory]
    [InlineData("30", 30)]
    [InlineData("30m", 30)]
    [InlineData("30 min", 30)]
    [InlineData("2h", 120)]
    [InlineData("1h30m", 90)]
    [InlineData("90s", 1.5)]
    [InlineData(" 0.5 ", 0.5)]
    public void ReadsMinutesAndDurations(string text, double minutes) => Assert.Equal(minutes, BudgetText.ParseMinutes(text), 9);

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("30x")]
    public void RefusesTextThatIsNoDurationInOneLine(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => BudgetText.ParseMinutes(text));
        Assert.Contains("30m, 2h", error.Message);
    }
}
