using Medvis.Core.Augmentation;
using Medvis.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Training;

/// <summary>
/// The stage-1 loss a <see cref="TrainingObjective"/> names: the contrastive loss of two views, the ISImed loss of
/// <see cref="IsimedOptions.CropsPerImage"/> positioned crops per image, or contrastive + weight·ISImed. Views and
/// crops go through the network in separate passes, so the contrastive part is exactly the t-SimCNE one.
/// </summary>
/// <remarks>Random draws come from the run's generator in a fixed order (views, then crop positions), so a seed gives one run.</remarks>
internal sealed class StageOneLoss(TrainingObjective objective, IsimedOptions isimed, ContrastiveMetric metric, Generator generator)
{
    /// <summary>The loss of one batch (float32 scalar with its graph).</summary>
    public Tensor Compute(TSimCneNetwork network, BatchAugmenter augmenter, Tensor batch, float[] mean, float[] std)
    {
        var contrastive = objective.Contrastive ? ContrastiveStep.Loss(network, augmenter, batch, mean, std, metric) : null;
        if (!objective.UsesIsimed) return contrastive!;
        var positional = IsimedTerm(network, batch, mean, std);
        using var weight = objective.IsimedWeight.ToScalar();
        return contrastive is null ? positional.mul(weight) : contrastive.add(positional, weight);
    }

    /// <summary>The unweighted ISImed loss of random crops of <paramref name="batch"/> (float32, N×C×H×W in [0, 1]).</summary>
    private Tensor IsimedTerm(TSimCneNetwork network, Tensor batch, float[] mean, float[] std)
    {
        var (crops, centres) = PositionCrops.Sample(batch, isimed.CropsPerImage, isimed.CropFraction, generator);
        ImageTensors.Normalize(crops, mean, std);
        return IsimedLoss.Compute(network.forward(crops), centres, PixelsPerUnit(isimed.DistanceUnit, batch), isimed.Penalty);
    }

    /// <summary>The image's longer side for relative distances, else 1.</summary>
    internal static double PixelsPerUnit(IsimedDistanceUnit unit, Tensor images) =>
        unit == IsimedDistanceUnit.ImageSide ? Math.Max(images.shape[2], images.shape[3]) : 1.0;
}
