using Bunit;
using Medvis.Core.Storage;
using Medvis.Web.Components.Shared;
using Medvis.Web.Tests.Support;

namespace Medvis.Web.Tests.Components;

public sealed class RunStatusChipTests : MudTestContext
{
    [Theory]
    [InlineData(RunStatus.Queued, 1, "queued · 1st in line")]
    [InlineData(RunStatus.Queued, 2, "queued · 2nd in line")]
    [InlineData(RunStatus.Queued, 12, "queued · 12th in line")]
    [InlineData(RunStatus.Queued, 23, "queued · 23rd in line")]
    [InlineData(RunStatus.Running, 1, "running")]
    public void AQueuedRunSaysWhereItStandsInLine(RunStatus status, int place, string text)
    {
        var cut = Render<RunStatusChip>(p => p.Add(c => c.Status, status).Add(c => c.QueuePosition, place));
        Assert.Equal(text, cut.Find("[data-testid=run-status]").TextContent.Trim());
    }
}
