using Microsoft.AspNetCore.Components;

namespace Medvis.Web.Components.Shared;

/// <summary>A run's configuration and training time as a compact table.</summary>
public partial class OptionsSummary
{
    [Parameter, EditorRequired] public RunRecord Run { get; set; } = default!;

    private TrainingOptions Options { get; set; } = new();

    protected override void OnParametersSet() => Options = TrainingOptionsJson.Deserialize(Run.OptionsJson);

    private string AugmentationDetails
    {
        get
        {
            var a = Options.Augmentation;
            var parts = new List<string>();
            if (a.Crop) parts.Add("crop");
            if (a.HorizontalFlip) parts.Add("h-flip");
            if (a.ColorJitter) parts.Add("jitter");
            if (a.Grayscale) parts.Add("grey");
            if (a.Rot90AndVerticalFlip) parts.Add("v-flip+90°");
            if (a.ArbitraryRotation) parts.Add($"±{a.MaxRotationDegrees:0}°");
            return $"({string.Join(", ", parts)})";
        }
    }
}
