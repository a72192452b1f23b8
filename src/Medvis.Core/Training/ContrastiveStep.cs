using Medvis.Core.Augmentation;
using Medvis.Core.Models;
using static TorchSharp.torch;

namespace Medvis.Core.Training;

/// <summary>One SimCLR-style optimiser step, shared by the trainer and the throughput benchmark so the benchmark times exactly what training does.</summary>
public static class ContrastiveStep
{
    /// <summary>
    /// Augments <paramref name="batch"/> into two views, normalises them, computes the contrastive loss and takes one
    /// optimiser step. Returns the loss (owned by the caller's dispose scope).
    /// </summary>
    public static Tensor Run(TSimCneNetwork network, optim.Optimizer optimizer, BatchAugmenter augmenter, Tensor batch,
        float[] mean, float[] std, ContrastiveMetric metric)
    {
        var views = cat([augmenter.Augment(batch), augmenter.Augment(batch)], 0);
        ImageTensors.Normalize(views, mean, std);
        var loss = ContrastiveLoss.Compute(network.forward(views), metric);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        return loss;
    }
}
