using System.Diagnostics;
using Medvis.Core.Augmentation;
using Medvis.Core.Compute;
using Medvis.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Training;

/// <summary>One measured configuration: training images per second (two augmented views each, forward + backward + SGD step).</summary>
public sealed record ThroughputMeasurement(string Device, string Backbone, int ImageSize, int BatchSize, int Steps, double ImagesPerSecond, double SecondsPerStep);

/// <summary>Measures stage-1 training throughput on random images, the cost that dominates a run.</summary>
public static class ThroughputBenchmark
{
    /// <summary>Runs <paramref name="steps"/> timed steps (after one warm-up step) per configuration.</summary>
    public static IEnumerable<ThroughputMeasurement> Run(IEnumerable<string> backbones, IEnumerable<int> batchSizes,
        int imageSize = 28, int steps = 5, string device = "auto", CancellationToken cancellation = default)
    {
        var target = ComputeDevice.Resolve(device);
        foreach (var backbone in backbones)
            foreach (var batchSize in batchSizes)
            {
                cancellation.ThrowIfCancellationRequested();
                yield return Measure(target, backbone, imageSize, batchSize, steps);
            }
    }

    private static ThroughputMeasurement Measure(Device device, string backbone, int imageSize, int batchSize, int steps)
    {
        using var generator = new Generator(0, CPU);
        using var network = new TSimCneNetwork(BackboneFactory.Spec(backbone, imageSize), 3, 1024, 128);
        network.to(device);
        network.train();
        using var optimizer = torch.optim.SGD(network.parameters(), 0.01, momentum: 0.9, weight_decay: 5e-4);
        using var augmenter = new BatchAugmenter(AugmentationOptions.Rotate, [0.5f, 0.5f, 0.5f], generator);
        using var images = rand(batchSize, 3, imageSize, imageSize, generator: generator).to(device);
        var clock = new Stopwatch();
        for (var step = 0; step <= steps; step++)
        {
            if (step == 1) { Synchronize(device); clock.Start(); }
            using var scope = NewDisposeScope();
            var views = cat([augmenter.Augment(images), augmenter.Augment(images)], 0);
            var loss = ContrastiveLoss.Compute(network.forward(views), ContrastiveMetric.Cauchy);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        Synchronize(device);
        var seconds = clock.Elapsed.TotalSeconds / steps;
        return new ThroughputMeasurement(device.type.ToString(), backbone, imageSize, batchSize, steps, batchSize / seconds, seconds);
    }

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize();
    }
}
