namespace Medvis.Core.Models;

/// <summary>Named backbones a run can choose.</summary>
public static class BackboneFactory
{
    /// <summary>
    /// "resnet18": the reference's small-image ResNet18 (3×3 stem, no max-pool, 512-d, 11.2 M parameters).
    /// "resnet18-imagenet": the standard ResNet18 (7×7 stride-2 stem + max-pool) for images of 96 px and more.
    /// "small": a 3-stage ResNet (widths 32/64/128, one block each, 128-d, 0.7 M parameters) whose stride-2 stem
    /// halves the image first: about 25× cheaper than ResNet18 per image, the CPU default.
    /// "tiny": the same with widths 16/32/64 (0.2 M parameters, another 2× faster) for quick demos and tests.
    /// </summary>
    public static IReadOnlyList<string> Names { get; } = ["small", "tiny", "resnet18", "resnet18-imagenet"];

    /// <summary>The shape behind a backbone name.</summary>
    public static ResNetSpec Spec(string name, int imageSize) => name.Trim().ToLowerInvariant() switch
    {
        "resnet18" => new ResNetSpec([64, 128, 256, 512], [2, 2, 2, 2]),
        "resnet18-imagenet" => new ResNetSpec([64, 128, 256, 512], [2, 2, 2, 2], LargeStem: true),
        "small" => new ResNetSpec([32, 64, 128], [1, 1, 1], StemStride: 2),
        "tiny" => new ResNetSpec([16, 32, 64], [1, 1, 1], StemStride: 2),
        _ => throw new ArgumentException($"Unknown backbone '{name}': use {string.Join(", ", Names)}."),
    };

    /// <summary>Builds the backbone for images with <paramref name="channels"/> channels and side <paramref name="imageSize"/>.</summary>
    public static ResNetBackbone Create(string name, int channels, int imageSize) => new(Spec(name, imageSize), channels);
}
