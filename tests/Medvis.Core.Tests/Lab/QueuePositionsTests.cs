using Medvis.Core.Lab;
using Medvis.Core.Storage;

namespace Medvis.Core.Tests.Lab;

public class QueuePositionsTests
{
    [Fact]
    public void QueuedRunsStandInLineOldestFirstAndOthersHaveNoPlace()
    {
        RunRecord Run(int id, RunStatus status) => new() { Id = id, Status = status };
        var positions = QueuePositions.Of([Run(7, RunStatus.Queued), Run(3, RunStatus.Running), Run(5, RunStatus.Queued), Run(9, RunStatus.Done), Run(8, RunStatus.Queued)]);

        Assert.Equal(new Dictionary<int, int> { [5] = 1, [7] = 2, [8] = 3 }, positions);
    }
}
