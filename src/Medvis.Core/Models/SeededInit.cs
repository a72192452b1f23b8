using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Models;

/// <summary>
/// Weight initialisation drawn from an explicit generator, so two runs with one seed build identical
/// networks even when other runs share the process (torch's global RNG is process-wide).
/// Convolutions: Kaiming normal (fan_out, ReLU) as the reference; batch norm: weight 1, bias 0;
/// linear layers: PyTorch's default U(±1/√fan_in) for weight and bias.
/// </summary>
internal static class SeededInit
{
    public static void Apply(nn.Module module, Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var (_, child) in module.named_modules())
        {
            switch (child)
            {
                case MixedConv2d conv:
                    var fanOut = conv.Weight.shape[0] * conv.Weight.shape[2] * conv.Weight.shape[3];
                    FillNormal(conv.Weight, Math.Sqrt(2.0 / fanOut), generator);
                    break;
                case MixedBatchNorm2d norm:
                    nn.init.ones_(norm.Weight);
                    nn.init.zeros_(norm.Bias);
                    break;
                case MixedLinear linear:
                    InitLinearDefault(linear, generator);
                    break;
            }
        }
    }

    public static void InitLinearDefault(MixedLinear linear, Generator generator)
    {
        using var noGrad = no_grad();
        var bound = 1.0 / Math.Sqrt(linear.Weight.shape[1]);
        FillUniform(linear.Weight, bound, generator);
        FillUniform(linear.Bias, bound, generator);
    }

    // nn.init.normal_/uniform_ in TorchSharp 0.107 ignore their generator argument (they draw from the global
    // RNG), so the values are drawn with randn/rand, which honour it, and copied in. The Scalars are locals that
    // outlive the calls (TorchSharp does not keep implicitly converted ones alive).
    public static void FillNormal(Tensor target, double std, Generator generator)
    {
        using var noGrad = no_grad();
        using var values = randn(target.shape, generator: generator);
        using var scale = std.ToScalar();
        target.copy_(values.mul_(scale));
    }

    public static void FillUniform(Tensor target, double bound, Generator generator)
    {
        using var noGrad = no_grad();
        using var values = rand(target.shape, generator: generator);
        using var width = (2 * bound).ToScalar();
        using var low = bound.ToScalar();
        target.copy_(values.mul_(width).sub_(low));
    }
}
