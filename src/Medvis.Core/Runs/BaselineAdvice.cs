using Medvis.Core.Evaluation;
using Medvis.Core.Training;

namespace Medvis.Core.Runs;

/// <summary>What a run page and the command line say when a learned map loses to the t-SNE of its pixels.</summary>
public static class BaselineAdvice
{
    /// <summary>
    /// What to try when the map loses, in the order the measurements suggest: more time, the other augmentation
    /// family, and for images whose orientation carries anatomy the positional objective. Null when the map wins.
    /// </summary>
    public static string? For(BaselineComparison comparison, TrainingOptions? options)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        options ??= new TrainingOptions();
        if (!comparison.MapLoses) return null;
        var otherFamily = options.Augmentation.ArbitraryRotation || options.Augmentation.Rot90AndVerticalFlip ? "natural" : "rotate";
        var tips = new List<string>
        {
            "a longer time budget (small datasets get the paper's whole schedule in minutes)",
            $"the {otherFamily} augmentation family",
        };
        if (!options.ParsedObjective.UsesIsimed) tips.Add("the orientation objective (tsimcne+isimed) for images whose orientation carries anatomy");
        return $"This map shows less than the t-SNE of the pixels ({comparison.Summary[(comparison.Summary.IndexOf(':') + 2)..]}). Try {string.Join(", ", tips.SkipLast(1))} or {tips[^1]}.";
    }
}
