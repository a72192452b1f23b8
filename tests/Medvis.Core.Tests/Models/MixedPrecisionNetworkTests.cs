using Medvis.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Tests.Models;

public class MixedPrecisionNetworkTests
{
    private static TSimCneNetwork Network(ulong seed = 3)
    {
        using var generator = new Generator(seed, CPU);
        var network = new TSimCneNetwork(BackboneFactory.Spec("tiny", 16), 3, 32, 8);
        SeededInit.Apply(network, generator);
        return network;
    }

    [Fact]
    public void Bf16ForwardStaysCloseToFp32AndReturnsFloat32()
    {
        using var network = Network();
        network.eval();
        using var input = rand(new long[] { 6, 3, 16, 16 }, generator: new Generator(5, CPU));
        using var exact = network.forward(input);
        network.ComputeType = ScalarType.BFloat16;
        using var mixed = network.forward(input);

        Assert.Equal(ScalarType.Float32, mixed.dtype);
        using var error = mixed.sub(exact).abs().max();
        using var scale = exact.abs().max();
        // bf16 keeps 8 significant bits (relative rounding ≈ 0.4%); a few layers compound it to a few percent.
        Assert.InRange(error.item<float>() / scale.item<float>(), 0, 0.08);
        Assert.NotEqual(0f, error.item<float>()); // it did compute in bf16
    }

    [Fact]
    public void ChannelsLastGivesTheSameOutputAsTheUsualLayout()
    {
        using var network = Network();
        network.eval();
        using var input = rand(new long[] { 4, 3, 16, 16 }, generator: new Generator(6, CPU));
        using var usual = network.forward(input);
        network.ChannelsLast = true;
        using var channelsLast = network.forward(input);
        Assert.True(usual.allclose(channelsLast, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void ToChannelsLastKeepsValuesAndShapeAndChangesTheStrides()
    {
        using var images = rand(2, 3, 5, 4);
        using var nhwc = MemoryLayout.ToChannelsLast(images);
        Assert.Equal(images.shape, nhwc.shape);
        Assert.True(MemoryLayout.IsChannelsLast(nhwc));
        Assert.False(MemoryLayout.IsChannelsLast(images));
        Assert.Equal(images.data<float>().ToArray(), nhwc.contiguous().data<float>().ToArray());
    }

    [Fact]
    public void ABf16TrainingStepKeepsFloat32MasterWeightsAndGradients()
    {
        using var network = Network();
        network.ComputeType = ScalarType.BFloat16;
        network.ChannelsLast = true;
        network.train();
        using var input = rand(new long[] { 8, 3, 16, 16 }, generator: new Generator(7, CPU));
        using var output = network.forward(input);
        using var loss = output.mul(output).mean();
        loss.backward();

        Assert.All(network.parameters(), p =>
        {
            Assert.Equal(ScalarType.Float32, p.dtype);
            using var grad = p.grad;
            Assert.NotNull(grad);
            Assert.Equal(ScalarType.Float32, grad!.dtype);
        });
        // Batch-norm statistics stay float32 and were updated from the batch.
        var runningMeans = network.named_buffers().Where(b => b.name.EndsWith("running_mean", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(runningMeans);
        Assert.All(runningMeans, b => Assert.Equal(ScalarType.Float32, b.buffer.dtype));
        Assert.Contains(runningMeans, b => b.buffer.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void StateDictNamesAreThoseOfTorchSharpsLayersSoOlderModelsLoad()
    {
        using var network = Network();
        var names = network.state_dict().Keys.ToHashSet();
        string[] expected =
        [
            "backbone.stem.0.weight", "backbone.stem.1.weight", "backbone.stem.1.bias", "backbone.stem.1.running_mean",
            "backbone.stem.1.running_var", "backbone.stem.1.num_batches_tracked", "backbone.stages.0.conv1.weight",
            "backbone.stages.1.shortcut.0.weight", "backbone.stages.1.shortcut.1.running_var", "hidden.weight", "hidden.bias",
            "output.weight", "output.bias",
        ];
        Assert.All(expected, name => Assert.Contains(name, names));
        Assert.DoesNotContain("backbone.stem.0.bias", names);
        Assert.Equal(ScalarType.Int64, network.state_dict()["backbone.stem.1.num_batches_tracked"].dtype);
    }

    [Fact]
    public void TrainingModeCountsBatchesLikeTorchSharpsBatchNorm()
    {
        using var network = Network();
        network.train();
        using var input = rand(4, 3, 16, 16);
        for (var i = 0; i < 3; i++) using (var _ = network.forward(input)) { }
        network.eval();
        using (var _ = network.forward(input)) { }
        Assert.Equal(3L, network.state_dict()["backbone.stem.1.num_batches_tracked"].item<long>());
    }

    [Theory]
    [InlineData("tiny", 28)]
    [InlineData("resnet18", 32)]
    public void FlopCountMatchesAHandCountOfTheStem(string backbone, int size)
    {
        var spec = BackboneFactory.Spec(backbone, size);
        var forward = NetworkFlops.ForwardPerImage(spec, 3, size, 1024, 128);
        var stemSide = Math.Ceiling((double)size / spec.StemStride);
        var stem = 2.0 * 3 * spec.Widths[0] * 9 * stemSide * stemSide;
        Assert.True(forward > stem);
        Assert.Equal(6 * forward, NetworkFlops.TrainingPerImage(spec, 3, size));
        if (backbone == "resnet18")
            // ResNet18 on 32-px CIFAR images: ≈ 0.56 GMAC per image, the figure usually quoted.
            Assert.InRange(forward / 2, 0.54e9, 0.57e9);
    }
}
