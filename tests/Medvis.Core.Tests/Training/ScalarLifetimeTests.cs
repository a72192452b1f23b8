using Medvis.Core.Augmentation;
using Medvis.Core.Models;
using Medvis.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Tests.Training;

/// <summary>
/// TorchSharp 0.107 does not keep implicitly converted Scalars alive for the native call, so a garbage collection
/// finalizing one mid-call corrupts the op ("Expected false to be true … toFloat", "Unknown scalar type"). These tests
/// run the training path while another thread collects garbage and runs finalizers without pause: a Scalar left
/// unprotected anywhere on the path surfaces as a native error (an <see cref="System.Runtime.InteropServices.ExternalException"/>)
/// or as a non-finite loss.
/// </summary>
/// <remarks>
/// Not run beside other tests: their own implicit Scalars (test code, TorchSharp's SGD in comparisons) would fail under
/// this pressure for the very reason the tests check.
/// </remarks>
[Collection(nameof(GarbageCollectionPressure))]
public class ScalarLifetimeTests
{
    [Theory]
    [InlineData(ComputePrecisionName.Fp32, 300)]
    [InlineData(ComputePrecisionName.Bf16, 100)] // bf16 steps of such tiny tensors cost more than fp32 on the CPU
    public void HundredsOfTrainingStepsUnderConstantGarbageCollectionRaiseNoNativeError(ComputePrecisionName precision, int steps)
    {
        using var generator = new Generator(11, CPU);
        using var network = new TSimCneNetwork(BackboneFactory.Spec("tiny", 12), 3, 32, 8)
            { ComputeType = precision == ComputePrecisionName.Bf16 ? ScalarType.BFloat16 : ScalarType.Float32, ChannelsLast = true };
        SeededInit.Apply(network, generator);
        network.train();
        using var optimizer = new MomentumSgd(network.parameters(), 0.05, momentum: 0.9, weightDecay: 5e-4);
        // rotate (arbitrary angles with border fill) and colour jitter + greyscale reach every augmentation kernel.
        using var augmenter = new BatchAugmenter(AugmentationOptions.Rotate, [0.3f, 0.4f, 0.5f], generator);
        using var images = rand(8, 3, 12, 12, generator: generator);
        float[] mean = [0.5f, 0.5f, 0.5f], std = [0.25f, 0.25f, 0.25f];

        var losses = WithConstantGarbageCollection(() =>
        {
            var values = new List<float>();
            for (var step = 0; step < steps; step++)
            {
                using var scope = NewDisposeScope();
                var metric = step % 2 == 0 ? ContrastiveMetric.Cauchy : ContrastiveMetric.Cosine;
                values.Add(ContrastiveStep.Run(network, optimizer, augmenter, images, mean, std, metric).item<float>());
            }
            return values;
        });

        Assert.Equal(steps, losses.Count);
        Assert.All(losses, loss => Assert.True(float.IsFinite(loss), $"loss {loss}"));
    }

    [Fact]
    public void ATrainingRunUnderConstantGarbageCollectionRecoversFromNoNativeError()
    {
        var options = TrainingTestData.TinyOptions([3, 1, 2]) with { BatchSize = 8, Augmentation = AugmentationOptions.Rotate };
        var result = WithConstantGarbageCollection(() =>
            new TSimCneTrainer(options).Train(TrainingTestData.TwoClasses(48), checkpoints: new InMemoryCheckpointStore()));
        using var model = result.Model;

        Assert.Equal(0, result.NativeErrorsRecovered);
        Assert.True(double.IsFinite(result.FinalLoss));
    }

    /// <summary>Runs <paramref name="work"/> while a second thread forces full collections and finalizers in a loop.</summary>
    private static T WithConstantGarbageCollection<T>(Func<T> work)
    {
        using var stop = new CancellationTokenSource();
        var collections = 0;
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                collections++;
            }
        }) { IsBackground = true };
        collector.Start();
        try
        {
            return work();
        }
        finally
        {
            stop.Cancel();
            collector.Join();
            Assert.True(collections > 10, $"only {collections} collections ran beside the work");
        }
    }

    public enum ComputePrecisionName { Fp32, Bf16 }
}

/// <summary>Runs the garbage-collection pressure tests alone.</summary>
[CollectionDefinition(nameof(GarbageCollectionPressure), DisableParallelization = true)]
public sealed class GarbageCollectionPressure;
