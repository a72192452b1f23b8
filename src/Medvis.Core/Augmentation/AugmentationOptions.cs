namespace Medvis.Core.Augmentation;

/// <summary>
/// Which random transforms make the two contrastive views. Named sets follow the papers:
/// <c>natural</c> (SimCLR / t-SimCNE), <c>rot90</c> (+ vertical flip and 90° turns), <c>rotate</c>
/// (+ an arbitrary angle, corners filled with the dataset's mean border colour; Nwabufo et al. 2024).
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>RandomResizedCrop, scale (0.2, 1), aspect ratio (3/4, 4/3).</summary>
    public bool Crop { get; init; } = true;
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

    /// <summary>The named set these options equal, or "custom".</summary>
    public string Describe() =>
        this == Natural ? "natural" : this == Rot90 ? "rot90" : this == Rotate ? "rotate" : "custom";
}
