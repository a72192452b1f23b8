using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Medvis.Core.Models;

/// <summary>
/// Backbone + MLP projection head (Linear(features→hidden), ReLU, Linear(hidden→out); no batch norm, as the
/// reference "mlp" head). Stage 1 uses out = 128; stages 2-3 swap the last layer for a fresh 2-d one.
/// </summary>
public sealed class TSimCneNetwork : Module<Tensor, Tensor>
{
    private readonly ResNetBackbone backbone;
    private readonly MixedLinear hidden;
    private readonly MixedLinear output;

    public TSimCneNetwork(ResNetSpec spec, int inputChannels, int hiddenDim, int outputDim) : base(nameof(TSimCneNetwork))
    {
        Spec = spec;
        InputChannels = inputChannels;
        backbone = new ResNetBackbone(spec, inputChannels);
        hidden = new MixedLinear(spec.FeatureDim, hiddenDim);
        output = new MixedLinear(hiddenDim, outputDim);
        RegisterComponents();
    }

    public ResNetSpec Spec { get; }
    public int InputChannels { get; }
    public long HiddenDim => hidden.Weight.shape[0];
    public long OutputDim => output.Weight.shape[0];

    /// <summary>
    /// The type the layers compute in: float32, or bfloat16 for mixed precision (float32 parameters cast per layer,
    /// batch-norm statistics in float32). Inputs of any floating type are cast to it; outputs are float32.
    /// </summary>
    public ScalarType ComputeType { get; set; } = ScalarType.Float32;

    /// <summary>Feed the backbone channels-last (NHWC) activations, which oneDNN's convolutions run faster on the CPU.</summary>
    public bool ChannelsLast { get; set; }

    /// <summary>The parameters of the output layer only (all that trains in stage 2).</summary>
    public IEnumerable<Parameter> OutputLayerParameters() => output.parameters();

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var projected = output.forward(functional.relu(hidden.forward(backbone.forward(Prepare(input)))));
        return projected.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>Backbone features (512-d for ResNet18), before the projection head; float32.</summary>
    public Tensor Features(Tensor input)
    {
        using var scope = NewDisposeScope();
        return backbone.forward(Prepare(input)).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>The input in <see cref="ComputeType"/> and, when asked, in channels-last layout.</summary>
    private Tensor Prepare(Tensor input)
    {
        var typed = input.dtype == ComputeType ? input : input.to_type(ComputeType);
        return ChannelsLast ? MemoryLayout.ToChannelsLast(typed) : typed;
    }

    /// <summary>
    /// A copy of this network whose last layer is a fresh Linear(hidden→<paramref name="outputDim"/>) with weights
    /// drawn from N(0, <paramref name="weightStd"/>) (the reference uses std 1) and PyTorch's default bias.
    /// </summary>
    public TSimCneNetwork WithNewOutputLayer(int outputDim, double weightStd, Generator generator)
    {
        var next = new TSimCneNetwork(Spec, InputChannels, (int)HiddenDim, outputDim) { ComputeType = ComputeType, ChannelsLast = ChannelsLast };
        SeededInit.InitLinearDefault(next.output, generator);
        SeededInit.FillNormal(next.output.Weight, weightStd, generator);
        var kept = state_dict().Where(kv => !kv.Key.StartsWith("output.", StringComparison.Ordinal)).ToDictionary();
        next.load_state_dict(kept, strict: false);
        return next;
    }

    /// <summary>Freezes everything but the output layer (stage 2) or unfreezes all (stage 3).</summary>
    public void TrainOnlyOutputLayer(bool onlyOutput)
    {
        foreach (var p in parameters()) p.requires_grad = !onlyOutput;
        foreach (var p in output.parameters()) p.requires_grad = true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { backbone.Dispose(); hidden.Dispose(); output.Dispose(); }
        base.Dispose(disposing);
    }
}
