namespace Medvis.Core.Augmentation;

/// <summary>
/// Which random transforms make the two contrastive views. Named sets follow the papers:
/// <c>natural</c> (SimCLR / t-SimCNE), <c>rot90</c> (+ vertical flip and 90° turns), <c>rotate</c>
/// (+ an arbitrary angle, corners filled with the dataset's mean border colour; Nwabufo et al. 2024).
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>RandomResizedCrop, scale (<see cref="MinCropScale"/>, 1), aspect ratio (3/4, 4/3).</summary>
    public bool Crop { get; init; } = true;
    /// <summary>Smallest crop area as a fraction of the image (the reference uses 0.2).</summary>
    public double MinCropScale { get; init; } = 0.2;
    /// <summary>Horizontal flip with p = 0.5.</summary>
    public bool HorizontalFlip { get; init; } = true;
    /// <summary>Colour jitter (brightness/contrast/saturation 0.4, hue 0.1) with p = 0.8.</summary>
    public bool ColorJitter { get; init; } = true;
    /// <summary>Random greyscale with p = 0.2.</summary>
    public bool Grayscale { get; init; } = true;
    /// <summary>Vertical flip p = 0.5 and a 90° turn p = 0.5 (with the horizontal flip: all 8 dihedral variants).</summary>
    public bool Rot90AndVerticalFlip { get; init; }
    /// <summary>Rotation by an angle drawn from U[−MaxRotationDegrees, +MaxRotationDegrees], always applied.</summary>
    public bool ArbitraryRotation { get; init; }
    /// <summary>Largest arbitrary rotation in degrees (the medical t-SimCNE code uses 45).</summary>
    public double MaxRotationDegrees { get; init; } = 45;

    public static AugmentationOptions Natural => new();
    public static AugmentationOptions Rot90 => new() { Rot90AndVerticalFlip = true };
    public static AugmentationOptions Rotate => new() { Rot90AndVerticalFlip = true, ArbitraryRotation = true };

    /// <summary>The named sets users can pick.</summary>
    public static IReadOnlyList<string> SetNames { get; } = ["natural", "rot90", "rotate"];

    /// <summary>Looks up a named set; throws with the valid names on a typo.</summary>
    public static AugmentationOptions FromName(string name) => name.Trim().ToLowerInvariant() switch
    {
        "natural" => Natural,
        "rot90" => Rot90,
        "rotate" => Rotate,
        _ => throw new ArgumentException($"Unknown augmentation set '{name}': use natural, rot90 or rotate."),
    };

    /// <summary>The words <see cref="Parse"/> understands, for help texts.</summary>
    public const string SpecHelp =
        "natural | rot90 | rotate, optionally followed by comma-separated changes for ablations: " +
        "+item / -item (crop, hflip, jitter, grayscale, rot90, angle), crop-scale=0.2, max-angle=45; e.g. rotate,-grayscale,crop-scale=0.5";

    /// <summary>
    /// A named set, optionally changed item by item: <c>rotate,-grayscale,crop-scale=0.5</c> is <c>rotate</c> without
    /// random greyscale and with crops of at least half the image. Throws naming the bad part.
    /// </summary>
    public static AugmentationOptions Parse(string spec)
    {
        var parts = spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new ArgumentException("No augmentation given: use natural, rot90 or rotate.");
        var options = FromName(parts[0]);
        foreach (var part in parts.Skip(1))
            options = ApplyChange(options, part.ToLowerInvariant());
        return options.Validate();
    }

    private static AugmentationOptions ApplyChange(AugmentationOptions options, string change)
    {
        if (change.Split('=', 2) is [var key, var value])
        {
            if (!double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number))
                throw new ArgumentException($"Augmentation setting '{change}': '{value}' is not a number.");
            return key switch
            {
                "crop-scale" => options with { MinCropScale = number },
                "max-angle" => options with { MaxRotationDegrees = number },
                _ => throw new ArgumentException($"Unknown augmentation setting '{key}': use crop-scale or max-angle."),
            };
        }
        var on = change[0] switch
        {
            '+' => true,
            '-' => false,
            _ => throw new ArgumentException($"Augmentation change '{change}' must start with + or - (e.g. -grayscale) or be a setting (e.g. crop-scale=0.5)."),
        };
        return change[1..] switch
        {
            "crop" => options with { Crop = on },
            "hflip" => options with { HorizontalFlip = on },
            "jitter" => options with { ColorJitter = on },
            "grayscale" or "greyscale" => options with { Grayscale = on },
            "rot90" => options with { Rot90AndVerticalFlip = on },
            "angle" => options with { ArbitraryRotation = on },
            var item => throw new ArgumentException($"Unknown augmentation item '{item}': use crop, hflip, jitter, grayscale, rot90 or angle."),
        };
    }

    /// <summary>
    /// The shortest spec <see cref="Parse"/> turns back into these options: the closest named set plus its changes,
    /// e.g. <c>rotate,-grayscale</c>.
    /// </summary>
    public string ToSpec()
    {
        var candidates = new[] { ("rotate", Rotate), ("rot90", Rot90), ("natural", Natural) };
        var (name, baseSet) = candidates.MinBy(c => Changes(c.Item2).Count);
        return string.Join(",", Changes(baseSet).Prepend(name));
    }

    private List<string> Changes(AugmentationOptions from)
    {
        var changes = new List<string>();
        void Item(string item, bool have, bool had) { if (have != had) changes.Add((have ? "+" : "-") + item); }
        Item("crop", Crop, from.Crop);
        Item("hflip", HorizontalFlip, from.HorizontalFlip);
        Item("jitter", ColorJitter, from.ColorJitter);
        Item("grayscale", Grayscale, from.Grayscale);
        Item("rot90", Rot90AndVerticalFlip, from.Rot90AndVerticalFlip);
        Item("angle", ArbitraryRotation, from.ArbitraryRotation);
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (MinCropScale != from.MinCropScale) changes.Add("crop-scale=" + MinCropScale.ToString(invariant));
        if (MaxRotationDegrees != from.MaxRotationDegrees) changes.Add("max-angle=" + MaxRotationDegrees.ToString(invariant));
        return changes;
    }

    /// <summary>These options, or an exception naming every out-of-range value.</summary>
    public AugmentationOptions Validate()
    {
        var problems = new List<string>();
        if (!double.IsFinite(MaxRotationDegrees) || MaxRotationDegrees is < 0 or > 180)
            problems.Add($"the largest rotation must be 0..180 degrees, not {MaxRotationDegrees}");
        if (!double.IsFinite(MinCropScale) || MinCropScale is <= 0 or > 1)
            problems.Add($"the smallest crop scale must be in (0, 1], not {MinCropScale}");
        if (problems.Count > 0) throw new ArgumentException("Invalid augmentation: " + string.Join("; ", problems) + ".");
        return this;
    }

    /// <summary>The named set these options equal, or "custom".</summary>
    public string Describe() =>
        this == Natural ? "natural" : this == Rot90 ? "rot90" : this == Rotate ? "rotate" : "custom";
}
