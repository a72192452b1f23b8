using Medvis.Core.Augmentation;
using Medvis.Core.Models;
using static TorchSharp.torch;

namespace Medvis.Core.Training;

/// <summary>One SimCLR-style optimiser step, shared by the trainer and the throughput benchmark so the benchmark times exactly what training does.</summary>
public static class ContrastiveStep
{
    /// <summary>
    /// Augments <paramref name="batch"/> into two views, normalises them, computes the contrastive loss (float32) and
    /// takes one optimiser step on the float32 master weights; the network's forward and backward passes run in its
    /// <see cref="TSimCneNetwork.ComputeType"/>. Returns the loss (owned by the caller's dispose scope).
    /// </summary>
    public static Tensor Run(TSimCneNetwork network, MomentumSgd optimizer, BatchAugmenter augmenter, Tensor batch,
        float[] mean, float[] std, ContrastiveMetric metric) =>
        Step(optimizer, Loss(network, augmenter, batch, mean, std, metric));

    /// <summary>The contrastive loss of two random views of <paramref name="batch"/> (keeps the graph).</summary>
    public static Tensor Loss(TSimCneNetwork network, BatchAugmenter augmenter, Tensor batch,
        float[] mean, float[] std, ContrastiveMetric metric)
    {
        var views = cat([augmenter.Augment(batch), augmenter.Augment(batch)], 0);
        ImageTensors.Normalize(views, mean, std);
        return ContrastiveLoss.Compute(network.forward(views), metric);
    }

    /// <summary>Back-propagates <paramref name="loss"/> and takes one optimiser step; returns the loss.</summary>
    public static Tensor Step(MomentumSgd optimizer, Tensor loss)
    {
        optimizer.ZeroGrad();
        loss.backward();
        optimizer.Step();
        return loss;
    }
}
