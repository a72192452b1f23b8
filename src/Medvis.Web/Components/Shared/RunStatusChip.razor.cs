using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Medvis.Web.Components.Shared;

/// <summary>A run's status as a coloured chip.</summary>
public partial class RunStatusChip
{
    [Parameter] public RunStatus Status { get; set; }

    private static Color ColorOf(RunStatus status) => status switch
    {
        RunStatus.Queued => Color.Default,
        RunStatus.Running => Color.Info,
        RunStatus.Done => Color.Success,
        RunStatus.Failed => Color.Error,
        _ => Color.Warning,
    };
}
