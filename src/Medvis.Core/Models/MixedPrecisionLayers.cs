using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Medvis.Core.Models;

// The layers below replace TorchSharp's Conv2d, Linear and BatchNorm2d for two reasons:
// - Mixed precision: the parameters stay float32 (the master weights the optimiser updates) and are cast to the
//   input's type for the operation, so a bf16 input runs the convolution or matmul in bf16 while the gradient reaches
//   the float32 parameter through the cast, as PyTorch's autocast does.
// - TorchSharp 0.107's BatchNorm2d.forward counts batches with num_batches_tracked.add_(1), which hands libtorch two
//   implicitly converted Scalars nothing keeps alive; a garbage collection finalizing one mid-call corrupts the op.
// Their state-dict names (weight, bias, running_mean, running_var, num_batches_tracked) equal TorchSharp's, so
// models and checkpoints saved with the TorchSharp layers load unchanged. The weights start as PyTorch's defaults,
// U(±1/√fan_in), from the global generator; SeededInit.Apply redraws them from a run's own generator.

/// <summary>A bias-free 2-D convolution whose float32 weight is cast to the input's type (float32 or bfloat16).</summary>
internal sealed class MixedConv2d : Module<Tensor, Tensor>
{
    private readonly long[] stride, padding;
#pragma warning disable IDE1006 // state-dict name
    private Parameter weight;
#pragma warning restore IDE1006

    public MixedConv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0) : base(nameof(MixedConv2d))
    {
        this.stride = [stride, stride];
        this.padding = [padding, padding];
        weight = Parameter(CastTo.DefaultUniform([outChannels, inChannels, kernelSize, kernelSize], inChannels * kernelSize * kernelSize));
        RegisterComponents();
    }

    /// <summary>The float32 weight, out × in × k × k.</summary>
    public Parameter Weight => weight;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return functional.conv2d(input, CastTo.TypeOf(weight, input), strides: stride, padding: padding).MoveToOuterDisposeScope();
    }
}

/// <summary>A fully connected layer whose float32 weight and bias are cast to the input's type.</summary>
internal sealed class MixedLinear : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private Parameter weight;
    private Parameter bias;
#pragma warning restore IDE1006

    public MixedLinear(long inFeatures, long outFeatures) : base(nameof(MixedLinear))
    {
        weight = Parameter(CastTo.DefaultUniform([outFeatures, inFeatures], inFeatures));
        bias = Parameter(CastTo.DefaultUniform([outFeatures], inFeatures));
        RegisterComponents();
    }

    /// <summary>The float32 weight, out × in.</summary>
    public Parameter Weight => weight;

    /// <summary>The float32 bias.</summary>
    public Parameter Bias => bias;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return functional.linear(input, CastTo.TypeOf(weight, input), CastTo.TypeOf(bias, input)).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Batch normalisation over N×C×H×W with float32 affine parameters and running statistics for inputs of any floating
/// type: libtorch computes the statistics of a bfloat16 input in float32 and returns bfloat16. Momentum 0.1, eps 1e-5.
/// </summary>
internal sealed class MixedBatchNorm2d : Module<Tensor, Tensor>
{
    private const double Momentum = 0.1, Epsilon = 1e-5;
    private readonly Scalar one = 1L.ToScalar();
#pragma warning disable IDE1006 // state-dict names
    private Parameter weight;
    private Parameter bias;
    // Not readonly: Module.to replaces parameters and buffers on another device through these fields.
    private Tensor running_mean;
    private Tensor running_var;
    private Tensor num_batches_tracked;
#pragma warning restore IDE1006

    public MixedBatchNorm2d(long features) : base(nameof(MixedBatchNorm2d))
    {
        weight = Parameter(ones(features));
        bias = Parameter(zeros(features));
        running_mean = zeros(features);
        running_var = ones(features);
        num_batches_tracked = tensor(0L);
        RegisterComponents();
    }

    /// <summary>The scale γ.</summary>
    public Parameter Weight => weight;

    /// <summary>The shift β.</summary>
    public Parameter Bias => bias;

    public override Tensor forward(Tensor input)
    {
        if (training)
            using (no_grad())
                num_batches_tracked.add_(one, one);
        var result = functional.batch_norm(input, running_mean, running_var, weight, bias, training, Momentum, Epsilon);
        GC.KeepAlive(one);
        return result;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) one.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>Casts a parameter to the floating type of the activations it meets; draws default weights.</summary>
internal static class CastTo
{
    /// <summary>PyTorch's default weight and bias initialisation for convolutions and linear layers: U(±1/√fan_in).</summary>
    public static Tensor DefaultUniform(long[] shape, long fanIn)
    {
        var bound = 1.0 / Math.Sqrt(fanIn);
        using var width = (2 * bound).ToScalar();
        using var low = bound.ToScalar();
        using var unit = rand(shape);
        return unit.mul(width).sub_(low);
    }

    /// <summary><paramref name="parameter"/> itself when the types agree, else a differentiable cast to <paramref name="input"/>'s type.</summary>
    public static Tensor TypeOf(Tensor parameter, Tensor input) =>
        parameter.dtype == input.dtype ? parameter : parameter.to_type(input.dtype);
}
