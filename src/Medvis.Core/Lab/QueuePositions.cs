using Medvis.Core.Storage;

namespace Medvis.Core.Lab;

/// <summary>Where each queued run stands in line: workers take queued runs oldest first, in the order their ids were given.</summary>
public static class QueuePositions
{
    /// <summary>Run id → 1-based place in line, for the queued runs among <paramref name="runs"/>.</summary>
    public static IReadOnlyDictionary<int, int> Of(IEnumerable<RunRecord> runs) => runs
        .Where(r => r.Status == RunStatus.Queued)
        .OrderBy(r => r.Id)
        .Select((r, place) => (r.Id, Place: place + 1))
        .ToDictionary(p => p.Id, p => p.Place);
}
