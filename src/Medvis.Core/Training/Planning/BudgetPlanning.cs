using Medvis.Core.Augmentation;
using Medvis.Core.Compute;
using Medvis.Core.Models;
using static TorchSharp.torch;

namespace Medvis.Core.Training.Planning;

/// <summary>
/// Measures this machine's throughput for the candidate backbones (a few steps each, at the run's image size and
/// batch) and plans the run into its budget with <see cref="SchedulePlanner"/>. A backbone that could not reach a
/// useful schedule even at four times the speed its FLOPs suggest is not probed, so a short budget does not pay for
/// probing ResNet18.
/// </summary>
public static class BudgetPlanning
{
    /// <summary>Backbones a budget may choose from when none is fixed, best map first.</summary>
    public static IReadOnlyList<string> Candidates { get; } = ["resnet18", "small", "tiny"];

    /// <summary>
    /// The largest batch a probe step uses. The probe runs at the run's own batch up to this: per-image speed still grows
    /// from 128 to 256 on some CPUs (the small backbone 808 → 1,156 images/s on a 2-core Xeon), so a smaller probe batch
    /// would undersell the backbone the run actually trains.
    /// </summary>
    public const int ProbeBatch = 256;

    /// <summary>Probes and plans.</summary>
    /// <param name="options">The run's options: <see cref="TrainingOptions.Backbone"/> "auto" lets the plan choose, a name fixes it; the precision "auto" probes both where bf16 may pay.</param>
    /// <param name="images">Training images.</param>
    /// <param name="channels">Image channels.</param>
    /// <param name="imageSize">Image side in pixels.</param>
    /// <param name="trainingSeconds">Seconds left for the epochs.</param>
    /// <param name="device">Where the run trains.</param>
    /// <param name="bf16Pays">Whether bf16 is worth probing under "auto" (bf16 CPU instructions or CUDA).</param>
    /// <param name="cancellation">Stops between probes.</param>
    public static (SchedulePlan Plan, IReadOnlyList<BackboneThroughput> Probed) Plan(TrainingOptions options, int images, int channels, int imageSize,
        double trainingSeconds, Device device, bool bf16Pays, CancellationToken cancellation = default)
    {
        var backbones = options.Backbone == TrainingOptions.AutoBackbone ? Candidates : [options.Backbone];
        var precisions = ComputePrecision.Normalize(options.Precision) switch
        {
            ComputePrecision.BFloat16 => new[] { ComputePrecision.BFloat16 },
            ComputePrecision.Auto when bf16Pays => [ComputePrecision.Float32, ComputePrecision.BFloat16],
            _ => [ComputePrecision.Float32],
        };
        var shape = ScheduleShape.Get(options.ScheduleShape);
        var batch = Math.Clamp(Math.Min(options.BatchSize, images), 4, ProbeBatch);
        var probed = new List<BackboneThroughput>();
        // Fastest first, so a slower backbone can be skipped on the faster one's numbers.
        foreach (var backbone in backbones.OrderBy(b => Flops(b, channels, imageSize)))
        {
            cancellation.ThrowIfCancellationRequested();
            if (probed.Count > 0 && !WorthProbing(backbone, probed, images, channels, imageSize, trainingSeconds, shape)) continue;
            probed.Add(precisions
                .Select(precision => new BackboneThroughput(backbone, precision, Measure(device, backbone, channels, imageSize, batch, options.Augmentation, precision)))
                .MaxBy(t => t.ImagesPerSecond)!);
        }
        var inQualityOrder = probed.OrderByDescending(t => Flops(t.Backbone, channels, imageSize)).ToList();
        return (SchedulePlanner.Plan(trainingSeconds, images, inQualityOrder, shape), probed);
    }

    private static bool WorthProbing(string backbone, List<BackboneThroughput> probed, int images, int channels, int imageSize, double seconds, ScheduleShape shape)
    {
        var fastest = probed.MaxBy(t => t.ImagesPerSecond)!;
        // FLOPs overstate how much slower a wider network runs (tiny is 4× cheaper than small but only 2× faster), so the bound is generous.
        var optimistic = fastest.ImagesPerSecond * Flops(fastest.Backbone, channels, imageSize) / Flops(backbone, channels, imageSize) * OptimismFactor;
        var plan = SchedulePlanner.Plan(seconds, images, [new BackboneThroughput(backbone, fastest.Precision, optimistic)], shape);
        return plan.EpochsPerStage.Sum() >= SchedulePlanner.MinimumUsefulEpochs;
    }

    /// <summary>How much faster than its FLOPs suggest a slower backbone is assumed to run when deciding whether to probe it.</summary>
    public const double OptimismFactor = 4;

    private static double Flops(string backbone, int channels, int imageSize) =>
        NetworkFlops.TrainingPerImage(BackboneFactory.Spec(backbone, imageSize), channels, imageSize);

    private static double Measure(Device device, string backbone, int channels, int imageSize, int batch, AugmentationOptions augmentation, string precision)
    {
        var computeType = precision == ComputePrecision.BFloat16 ? TorchSharp.torch.ScalarType.BFloat16 : TorchSharp.torch.ScalarType.Float32;
        return ThroughputBenchmark.Probe(device, backbone, channels, imageSize, batch, augmentation, computeType,
            new PrecisionChoice(precision, "").ChannelsLast);
    }
}
