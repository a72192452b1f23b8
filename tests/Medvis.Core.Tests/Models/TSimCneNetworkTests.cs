using Medvis.Core.Models;
using Medvis.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Tests.Models;

public class TSimCneNetworkTests
{
    [Theory]
    [InlineData("resnet18", 28, 512, 11_000_000)]
    [InlineData("small", 28, 128, 500_000)]
    [InlineData("resnet18-imagenet", 96, 512, 11_000_000)]
    public void BackbonesProduceTheirFeatureWidth(string name, int size, int featureDim, int minParameters)
    {
        using var network = new TSimCneNetwork(BackboneFactory.Spec(name, size), 3, 1024, 128);
        using var input = rand(2, 3, size, size);
        using var features = network.Features(input);
        using var output = network.forward(input);
        Assert.Equal(new long[] { 2, featureDim }, features.shape);
        Assert.Equal(new long[] { 2, 128 }, output.shape);
        Assert.True(network.parameters().Sum(p => p.numel()) > minParameters);
    }

    [Fact]
    public void StageTwoTrainsOnlyTheNewTwoDimensionalLayer()
    {
        using var generator = new Generator(3, CPU);
        using var pretrained = new TSimCneNetwork(BackboneFactory.Spec("tiny", 12), 3, 32, 16);
        using var network = pretrained.WithNewOutputLayer(2, 1.0, generator);
        network.TrainOnlyOutputLayer(true);
        var before = network.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        Assert.Equal(2, network.OutputDim);

        using var optimizer = torch.optim.SGD(network.OutputLayerParameters(), 0.1, momentum: 0.9);
        for (var step = 0; step < 3; step++)
        {
            using var scope = NewDisposeScope();
            var loss = ContrastiveLoss.Compute(network.forward(rand(8, 3, 12, 12, generator: generator)), ContrastiveMetric.Cauchy);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }

        foreach (var (name, parameter) in network.named_parameters())
        {
            // The Cauchy loss only sees differences between points, so the output bias gets no gradient.
            var changed = !parameter.detach().allclose(before[name]);
            Assert.Equal(name == "output.weight", changed);
            Assert.Equal(name.StartsWith("output."), parameter.requires_grad);
        }
        // the kept layers carry the pre-trained weights over
        Assert.True(pretrained.named_parameters().First().parameter.allclose(before[pretrained.named_parameters().First().name]));
    }
}
