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
    /// <summary>Untimed steps before the clock starts: oneDNN picks and caches its kernels over the first few steps.</summary>
    public const int WarmUpSteps = 3;

    /// <summary>
    /// Runs <paramref name="steps"/> timed steps (after <see cref="WarmUpSteps"/> untimed ones) per configuration, with the
    /// views augmented as <paramref name="augmentation"/> says (<see cref="AugmentationOptions.Rotate"/> when null).
    /// It measures a freshly initialised network: on real data a run speeds up over its first epochs (blood cells, small
    /// backbone: ≈ 1,050 images/s in epoch 1, ≈ 1,500 from epoch 5 on), so a run's own images/s is the better guide to its length.
    /// </summary>
    public static IEnumerable<ThroughputMeasurement> Run(IEnumerable<string> backbones, IEnumerable<int> batchSizes,
        int imageSize = 28, int steps = 20, string device = "auto", AugmentationOptions? augmentation = null,
        CancellationToken cancellation = default)
    {
        // Checked before the first (slow) measurement so a typo fails at once, not after minutes of benchmarking.
        var backboneList = backbones.ToList();
        var batchList = batchSizes.ToList();
        if (backboneList.Count == 0 || batchList.Count == 0) throw new ArgumentException("name at least one backbone and one batch size");
        foreach (var backbone in backboneList) BackboneFactory.Spec(backbone, imageSize);
        // The trainer's own checks: a batch size or augmentation it would refuse is not worth timing.
        foreach (var batchSize in batchList)
            new TrainingOptions { BatchSize = batchSize, Augmentation = augmentation ?? AugmentationOptions.Rotate }.Validate();
        if (steps is < 1 or > 100_000) throw new ArgumentException($"steps {steps} must be between 1 and 100000");
        if (imageSize is < 8 or > 1024) throw new ArgumentException($"image size {imageSize} must be between 8 and 1024 pixels");
        var target = ComputeDevice.Resolve(device);
        return Measurements(target, backboneList, batchList, imageSize, steps, augmentation ?? AugmentationOptions.Rotate, cancellation);
    }

    private static IEnumerable<ThroughputMeasurement> Measurements(Device target, List<string> backbones, List<int> batchSizes,
        int imageSize, int steps, AugmentationOptions augmentation, CancellationToken cancellation)
    {
        foreach (var backbone in backbones)
            foreach (var batchSize in batchSizes)
            {
                cancellation.ThrowIfCancellationRequested();
                yield return Measure(target, backbone, imageSize, batchSize, steps, augmentation);
            }
    }

    private static ThroughputMeasurement Measure(Device device, string backbone, int imageSize, int batchSize, int steps, AugmentationOptions augmentation)
    {
        using var generator = new Generator(0, CPU);
        using var network = new TSimCneNetwork(BackboneFactory.Spec(backbone, imageSize), 3, 1024, 128);
        SeededInit.Apply(network, generator);
        network.to(device);
        network.train();
        using var optimizer = torch.optim.SGD(network.parameters(), 0.01, momentum: 0.9, weight_decay: 5e-4);
        using var augmenter = new BatchAugmenter(augmentation, [0.5f, 0.5f, 0.5f], generator);
        using var images = rand(batchSize, 3, imageSize, imageSize, generator: generator).to(device);
        var clock = new Stopwatch();
        for (var step = 0; step < WarmUpSteps + steps; step++)
        {
            if (step == WarmUpSteps) { Synchronize(device); clock.Start(); }
            using var scope = NewDisposeScope();
            ContrastiveStep.Run(network, optimizer, augmenter, images, [0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f], ContrastiveMetric.Cauchy);
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
