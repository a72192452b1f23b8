using Medvis.Core.Compute;
using TorchSharp;

namespace Medvis.Core.Tests.Compute;

public class TorchSharpLoadsTests
{
    [Fact]
    public void MatmulAndConvolutionRunOnTheResolvedDevice()
    {
        var device = ComputeDevice.Resolve("auto");
        using var a = torch.arange(6, dtype: torch.float32, device: device).reshape(2, 3);
        using var b = torch.ones(3, 2, device: device);
        using var product = a.matmul(b).cpu();
        Assert.Equal(new float[] { 3, 3, 12, 12 }, product.data<float>().ToArray());

        using var image = torch.ones(1, 1, 5, 5, device: device);
        using var kernel = torch.ones(1, 1, 3, 3, device: device);
        using var convolved = torch.nn.functional.conv2d(image, kernel, padding: new long[] { 1, 1 }).cpu();
        Assert.Equal(9f, convolved[0, 0, 2, 2].item<float>());
        Assert.Equal(4f, convolved[0, 0, 0, 0].item<float>());
    }

    [SkippableFact]
    public void AskingForCudaWithoutAGpuIsAClearError()
    {
        Skip.If(torch.cuda.is_available(), "this machine has a CUDA GPU, so asking for one is no error here");
        var error = Assert.Throws<ArgumentException>(() => ComputeDevice.Resolve("cuda"));
        Assert.Contains("no CUDA GPU", error.Message);
    }
}
