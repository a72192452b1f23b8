using System.Diagnostics;
using Medvis.Core.Augmentation;
using Medvis.Core.Compute;
using Medvis.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Training;

/// <summary>
/// One measured configuration: training images per second (two augmented views each, forward + backward + SGD step)
/// and the convolution/matmul GFLOP/s that achieves, in one precision ("fp32" or "bf16") and memory layout.
/// </summary>
public sealed record ThroughputMeasurement(string Device, string Backbone, int ImageSize, int BatchSize, int Steps, double ImagesPerSecond,
    double SecondsPerStep, string Precision = ComputePrecision.Float32, bool ChannelsLast = false, double GigaflopsPerSecond = 0);

/// <summary>Measures stage-1 training throughput on random images, the cost that dominates a run.</summary>
public static class ThroughputBenchmark
{
    /// <summary>Untimed steps before the clock starts: oneDNN picks and caches its kernels over the first few steps.</summary>
    public const int WarmUpSteps = 3;

    /// <summary>
    /// Runs <paramref name="steps"/> timed steps (after <see cref="WarmUpSteps"/> untimed ones) per configuration, with the
    /// views augmented as <paramref name="augmentation"/> says (<see cref="AugmentationOptions.Rotate"/> when null), in
    /// each of <paramref name="precisions"/> ("fp32", "bf16"; fp32 when null) and, when <paramref name="bothLayouts"/>,
    /// both memory layouts (else the layout training uses for that precision, <see cref="PrecisionChoice.ChannelsLast"/>).
    /// It measures a freshly initialised network: on real data a run speeds up over its first epochs (blood cells, small
    /// backbone: ≈ 1,050 images/s in epoch 1, ≈ 1,500 from epoch 5 on), so a run's own images/s is the better guide to its length.
    /// </summary>
    public static IEnumerable<ThroughputMeasurement> Run(IEnumerable<string> backbones, IEnumerable<int> batchSizes,
        int imageSize = 28, int steps = 20, string device = "auto", AugmentationOptions? augmentation = null,
        CancellationToken cancellation = default, IEnumerable<string>? precisions = null, bool bothLayouts = false)
    {
        // Checked before the first (slow) measurement so a typo fails at once, not after minutes of benchmarking.
        var backboneList = backbones.ToList();
        var batchList = batchSizes.ToList();
        var precisionList = (precisions ?? [ComputePrecision.Float32])
            .Select(p => ComputePrecision.Normalize(p) is ComputePrecision.Float32 or ComputePrecision.BFloat16
                ? ComputePrecision.Normalize(p)! : throw new ArgumentException($"precision '{p}' must be fp32 or bf16"))
            .Distinct().ToList();
        if (backboneList.Count == 0 || batchList.Count == 0 || precisionList.Count == 0)
            throw new ArgumentException("name at least one backbone, one batch size and one precision");
        foreach (var backbone in backboneList) BackboneFactory.Spec(backbone, imageSize);
        // The trainer's own checks: a batch size or augmentation it would refuse is not worth timing.
        foreach (var batchSize in batchList)
            new TrainingOptions { BatchSize = batchSize, Augmentation = augmentation ?? AugmentationOptions.Rotate }.Validate();
        if (steps is < 1 or > 100_000) throw new ArgumentException($"steps {steps} must be between 1 and 100000");
        if (imageSize is < 8 or > 1024) throw new ArgumentException($"image size {imageSize} must be between 8 and 1024 pixels");
        var target = ComputeDevice.Resolve(device);
        // As training does: otherwise the first configuration pays page faults that later ones do not.
        NativeAllocator.KeepFreedBuffers();
        bool[]? layouts = bothLayouts ? [false, true] : null;
        return Measurements(target, backboneList, batchList, precisionList, layouts, imageSize, steps, augmentation ?? AugmentationOptions.Rotate, cancellation);
    }

    private static IEnumerable<ThroughputMeasurement> Measurements(Device target, List<string> backbones, List<int> batchSizes,
        List<string> precisions, bool[]? layouts, int imageSize, int steps, AugmentationOptions augmentation, CancellationToken cancellation)
    {
        foreach (var backbone in backbones)
            foreach (var batchSize in batchSizes)
                foreach (var precision in precisions)
                    foreach (var channelsLast in layouts ?? [TrainingLayoutIsChannelsLast(precision)])
                    {
                        cancellation.ThrowIfCancellationRequested();
                        var computeType = precision == ComputePrecision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float32;
                        var seconds = SecondsPerStep(target, backbone, 3, imageSize, batchSize, WarmUpSteps, steps, augmentation, computeType, channelsLast);
                        var flops = NetworkFlops.TrainingPerImage(BackboneFactory.Spec(backbone, imageSize), 3, imageSize) * batchSize / seconds;
                        yield return new ThroughputMeasurement(target.type.ToString(), backbone, imageSize, batchSize, steps, batchSize / seconds, seconds,
                            precision, channelsLast, flops / 1e9);
                    }
    }

    private static bool TrainingLayoutIsChannelsLast(string precision) => new PrecisionChoice(precision, "").ChannelsLast;

    /// <summary>
    /// Images/s of a short run (<see cref="WarmUpSteps"/> warm-up + 3 timed steps) of one configuration, for choosing a
    /// precision and a plan at the start of training. One warm-up step was too few: bf16's oneDNN kernels are still
    /// being created in the second step, and a probe read the small backbone's bf16 at half its speed (739 vs ~1,500
    /// images/s on 2 cores), so a 30-minute plan fell back to the tiny backbone.
    /// </summary>
    public static double Probe(Device device, string backbone, int channels, int imageSize, int batchSize, AugmentationOptions augmentation,
        ScalarType computeType, bool channelsLast)
    {
        NativeAllocator.KeepFreedBuffers();
        return batchSize / SecondsPerStep(device, backbone, channels, imageSize, batchSize, WarmUpSteps, 3, augmentation, computeType, channelsLast);
    }

    private static double SecondsPerStep(Device device, string backbone, int channels, int imageSize, int batchSize, int warmUpSteps, int steps,
        AugmentationOptions augmentation, ScalarType computeType, bool channelsLast)
    {
        using var generator = new Generator(0, CPU);
        using var network = new TSimCneNetwork(BackboneFactory.Spec(backbone, imageSize), channels, 1024, 128)
            { ComputeType = computeType, ChannelsLast = channelsLast };
        SeededInit.Apply(network, generator);
        network.to(device);
        network.train();
        using var optimizer = new MomentumSgd(network.parameters(), 0.01, momentum: 0.9, weightDecay: 5e-4);
        var grey = Enumerable.Repeat(0.5f, channels).ToArray();
        using var augmenter = new BatchAugmenter(augmentation, grey, generator);
        using var images = rand(batchSize, channels, imageSize, imageSize, generator: generator).to(device);
        var scale = Enumerable.Repeat(0.25f, channels).ToArray();
        var clock = new Stopwatch();
        for (var step = 0; step < warmUpSteps + steps; step++)
        {
            if (step == warmUpSteps) { Synchronize(device); clock.Start(); }
            using var scope = NewDisposeScope();
            ContrastiveStep.Run(network, optimizer, augmenter, images, grey, scale, ContrastiveMetric.Cauchy);
        }
        Synchronize(device);
        return clock.Elapsed.TotalSeconds / steps;
    }

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize();
    }
}
