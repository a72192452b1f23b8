using MudBlazor;

namespace Medvis.Web.Components.Shared;

/// <summary>The questions asked before a run is stopped, worded once for every page that stops runs.</summary>
public static class RunConfirmations
{
    /// <summary>Asks before cancelling run <paramref name="runId"/>; true when the user confirmed.</summary>
    public static Task<bool?> ConfirmCancelAsync(IDialogService dialogs, int runId) =>
        dialogs.ShowMessageBoxAsync("Cancel run",
            $"Stop run {runId}? It keeps its last checkpoint, so it can be resumed later from there.",
            yesText: "Cancel run", cancelText: "Keep training");
}
