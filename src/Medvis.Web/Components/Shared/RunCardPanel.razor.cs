using Medvis.Core.Training;
using Microsoft.AspNetCore.Components;

namespace Medvis.Web.Components.Shared;

/// <summary>A finished run's reproducibility card: versions, device and precision, settings, data hash, split, time.</summary>
public partial class RunCardPanel
{
    /// <summary>The run the card belongs to (for the download link).</summary>
    [Parameter] public int RunId { get; set; }

    /// <summary>The card; null for runs that finished before cards were kept.</summary>
    [Parameter] public RunCard? Card { get; set; }

    /// <summary>For an imported map, where it came from (its card is missing by nature, not by age).</summary>
    [Parameter] public string? ImportedFrom { get; set; }

    private string Settings => Card is null ? "" : TrainingOptionsJson.Serialize(Card.Options);
}
