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
                case TorchSharp.Modules.Conv2d conv:
                    var fanOut = conv.weight!.shape[0] * conv.weight.shape[2] * conv.weight.shape[3];
                    FillNormal(conv.weight, Math.Sqrt(2.0 / fanOut), generator);
                    break;
                case TorchSharp.Modules.BatchNorm2d norm:
                    nn.init.ones_(norm.weight!);
                    nn.init.zeros_(norm.bias!);
                    break;
                case TorchSharp.Modules.Linear linear:
                    InitLinearDefault(linear, generator);
                    break;
            }
        }
    }

    public static void InitLinearDefault(TorchSharp.Modules.Linear linear, Generator generator)
    {
        using var noGrad = no_grad();
        var bound = 1.0 / Math.Sqrt(linear.weight!.shape[1]);
        FillUniform(linear.weight, bound, generator);
        if (linear.bias is not null) FillUniform(linear.bias, bound, generator);
    }

    // nn.init.normal_/uniform_ in TorchSharp 0.107 ignore their generator argument (they draw from the global
    // RNG), so the values are drawn with randn/rand, which honour it, and copied in.
    public static void FillNormal(Tensor target, double std, Generator generator)
    {
        using var noGrad = no_grad();
        using var values = randn(target.shape, generator: generator);
        target.copy_(values.mul_(std));
    }

    public static void FillUniform(Tensor target, double bound, Generator generator)
    {
        using var noGrad = no_grad();
        using var values = rand(target.shape, generator: generator);
        target.copy_(values.mul_(2 * bound).sub_(bound));
    }
}
