using Microsoft.AspNetCore.Components;

namespace Medvis.Web.Components.Shared;

/// <summary>Live numbers (epoch, loss, lr, images/s, ETA), loss and lr curves per stage, and the latest 2-D snapshot.</summary>
public partial class TrainingCharts
{
    [Parameter, EditorRequired] public RunLiveState Live { get; set; } = default!;
    [Parameter] public IReadOnlyList<string> ClassNames { get; set; } = [];

    private static readonly Func<EpochPoint, double> LearningRate = p => p.LearningRate;

    private EpochPoint? Latest => Live.Latest;

    private string Eta => Live.Status switch
    {
        RunStatus.Done => "done",
        RunStatus.Running when Latest?.EtaSeconds is { } s => TimeSpan.FromSeconds(Math.Round(s)).ToString(),
        _ => "–",
    };
}
