using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Medvis.Core.Models;

/// <summary>The shape of a ResNet backbone: stem, stage widths and blocks per stage.</summary>
/// <param name="Widths">Channels of each stage; the last one is the feature width.</param>
/// <param name="BlocksPerStage">Basic residual blocks in each stage (ResNet18: 2, 2, 2, 2).</param>
/// <param name="LargeStem">7×7 stride-2 convolution + 3×3 max-pool (ImageNet ResNet) instead of one 3×3 stride-1 convolution.</param>
/// <param name="StemStride">Stride of the 3×3 stem (2 halves large inputs early on small CPU nets).</param>
public sealed record ResNetSpec(int[] Widths, int[] BlocksPerStage, bool LargeStem = false, int StemStride = 1)
{
    /// <summary>Feature dimension after global average pooling.</summary>
    public int FeatureDim => Widths[^1];
}

/// <summary>
/// ResNet of BasicBlocks ending in global average pooling (no classifier), as the reference's
/// SimCLR-style ResNet18: stage strides 1, 2, 2, 2; 1×1 conv + BN shortcut where the shape changes.
/// </summary>
public sealed class ResNetBackbone : Module<Tensor, Tensor>
{
    private readonly Sequential stem;
    private readonly Sequential stages;
    private readonly AdaptiveAvgPool2d pool;

    public ResNetBackbone(ResNetSpec spec, int inputChannels) : base(nameof(ResNetBackbone))
    {
        if (spec.Widths.Length == 0 || spec.Widths.Length != spec.BlocksPerStage.Length)
            throw new ArgumentException("A ResNet needs one block count per stage width.");
        Spec = spec;
        var first = spec.Widths[0];
        stem = spec.LargeStem
            ? Sequential(new MixedConv2d(inputChannels, first, 7, stride: 2, padding: 3), new MixedBatchNorm2d(first), ReLU(inplace: true),
                MaxPool2d(3, stride: 2, padding: 1))
            : Sequential(new MixedConv2d(inputChannels, first, 3, stride: spec.StemStride, padding: 1), new MixedBatchNorm2d(first), ReLU(inplace: true));
        var blocks = new List<Module<Tensor, Tensor>>();
        var channels = first;
        for (var s = 0; s < spec.Widths.Length; s++)
            for (var b = 0; b < spec.BlocksPerStage[s]; b++)
            {
                var stride = s > 0 && b == 0 ? 2 : 1;
                blocks.Add(new BasicBlock(channels, spec.Widths[s], stride));
                channels = spec.Widths[s];
            }
        stages = Sequential(blocks);
        pool = AdaptiveAvgPool2d(1);
        RegisterComponents();
    }

    public ResNetSpec Spec { get; }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var features = pool.forward(stages.forward(stem.forward(input))).flatten(1);
        return features.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { stem.Dispose(); stages.Dispose(); pool.Dispose(); }
        base.Dispose(disposing);
    }

    private sealed class BasicBlock : Module<Tensor, Tensor>
    {
        private readonly MixedConv2d conv1;
        private readonly MixedBatchNorm2d bn1;
        private readonly MixedConv2d conv2;
        private readonly MixedBatchNorm2d bn2;
        private readonly Sequential? shortcut;
        // The residual sum's alpha, kept alive for the call (see MixedPrecisionLayers.cs).
        private readonly Scalar one = 1L.ToScalar();

        public BasicBlock(int inChannels, int outChannels, int stride) : base(nameof(BasicBlock))
        {
            conv1 = new MixedConv2d(inChannels, outChannels, 3, stride: stride, padding: 1);
            bn1 = new MixedBatchNorm2d(outChannels);
            conv2 = new MixedConv2d(outChannels, outChannels, 3, stride: 1, padding: 1);
            bn2 = new MixedBatchNorm2d(outChannels);
            if (stride != 1 || inChannels != outChannels)
                shortcut = Sequential(new MixedConv2d(inChannels, outChannels, 1, stride: stride), new MixedBatchNorm2d(outChannels));
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            var hidden = functional.relu(bn1.forward(conv1.forward(input)));
            var output = bn2.forward(conv2.forward(hidden));
            var identity = shortcut is null ? input : shortcut.forward(input);
            var sum = output.add_(identity, one);
            GC.KeepAlive(one);
            return functional.relu(sum);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) { conv1.Dispose(); bn1.Dispose(); conv2.Dispose(); bn2.Dispose(); shortcut?.Dispose(); one.Dispose(); }
            base.Dispose(disposing);
        }
    }
}
