using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Medvis.Web.Components.Shared;

/// <summary>A run's status as a coloured chip.</summary>
public partial class RunStatusChip
{
    [Parameter] public RunStatus Status { get; set; }

    /// <summary>A queued run's place in line (1: next), or null when unknown.</summary>
    [Parameter] public int? QueuePosition { get; set; }

    private static string Ordinal(int place) => (place % 100) switch
    {
        11 or 12 or 13 => $"{place}th",
        _ => (place % 10) switch { 1 => $"{place}st", 2 => $"{place}nd", 3 => $"{place}rd", _ => $"{place}th" },
    };

    private static Color ColorOf(RunStatus status) => status switch
    {
        RunStatus.Queued => Color.Default,
        RunStatus.Running => Color.Info,
        RunStatus.Done => Color.Success,
        RunStatus.Failed => Color.Error,
        _ => Color.Warning,
    };
}
