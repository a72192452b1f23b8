using System.Globalization;

namespace Medvis.Core.Training;

/// <summary>
/// The stage-1 objective, written <c>tsimcne</c>, <c>isimed</c> or <c>tsimcne+isimed[:weight]</c>: the contrastive
/// t-SimCNE loss, the ISImed positional loss, or their sum with the ISImed term multiplied by the weight (default 1).
/// Stages 2 and 3 always train the 2-D map with the contrastive loss.
/// </summary>
/// <param name="Contrastive">Whether stage 1 includes the contrastive loss.</param>
/// <param name="IsimedWeight">The ISImed term's weight; 0 leaves it out.</param>
public sealed record TrainingObjective(bool Contrastive, double IsimedWeight)
{
    /// <summary>The reference t-SimCNE objective.</summary>
    public const string TSimCne = "tsimcne";
    /// <summary>ISImed alone.</summary>
    public const string Isimed = "isimed";
    /// <summary>Both, ISImed weighted 1.</summary>
    public const string Combined = "tsimcne+isimed";

    /// <summary>The three objectives a form offers (the combined one with weight 1).</summary>
    public static IReadOnlyList<string> Names { get; } = [TSimCne, Isimed, Combined];

    /// <summary>For help texts.</summary>
    public const string SpecHelp = "tsimcne | isimed | tsimcne+isimed[:weight] (the stage-1 loss: contrastive, ISImed positional, or their sum with ISImed weighted, default 1)";

    /// <summary>Whether stage 1 includes the ISImed term.</summary>
    public bool UsesIsimed => IsimedWeight > 0;

    /// <summary>Parses a spec; null with <paramref name="problem"/> set when it cannot be used.</summary>
    public static TrainingObjective? TryParse(string? spec, out string? problem)
    {
        problem = null;
        var text = spec?.Trim().ToLowerInvariant() ?? "";
        if (text == TSimCne) return new(true, 0);
        if (text == Isimed) return new(false, 1);
        if (text == Combined) return new(true, 1);
        if (text.StartsWith(Combined + ":", StringComparison.Ordinal))
        {
            var weightText = text[(Combined.Length + 1)..];
            if (double.TryParse(weightText, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight)
                && double.IsFinite(weight) && weight is > 0 and <= 1000)
                return new(true, weight);
            problem = $"objective weight '{weightText}' must be a number in (0, 1000]";
            return null;
        }
        problem = $"objective '{spec}' must be {SpecHelp.Split(" (")[0]}";
        return null;
    }

    /// <summary>Parses a spec or throws <see cref="ArgumentException"/> naming the problem.</summary>
    public static TrainingObjective Parse(string spec) =>
        TryParse(spec, out var problem) ?? throw new ArgumentException(char.ToUpperInvariant(problem![0]) + problem[1..] + ".");

    /// <summary>The canonical spec (weight 1 is left out).</summary>
    public string ToSpec() => (Contrastive, UsesIsimed) switch
    {
        (true, false) => TSimCne,
        (false, _) => Isimed,
        _ when IsimedWeight == 1 => Combined,
        _ => Combined + ":" + IsimedWeight.ToString("R", CultureInfo.InvariantCulture),
    };
}
