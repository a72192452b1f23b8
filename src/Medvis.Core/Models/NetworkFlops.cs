namespace Medvis.Core.Models;

/// <summary>Floating-point operations of a <see cref="TSimCneNetwork"/>, for reporting achieved GFLOP/s.</summary>
public static class NetworkFlops
{
    /// <summary>
    /// Multiply-adds × 2 of one image's forward pass through the convolutions and the projection head (batch norm,
    /// ReLU and pooling are memory-bound and left out, as is usual for FLOP counts).
    /// </summary>
    public static double ForwardPerImage(ResNetSpec spec, int channels, int imageSize, int hiddenDim, int outputDim)
    {
        double flops = 0;
        var side = (double)imageSize;
        void Conv(long inChannels, long outChannels, int kernel, int stride)
        {
            side = Math.Ceiling(side / stride);
            flops += 2.0 * inChannels * outChannels * kernel * kernel * side * side;
        }
        var first = spec.Widths[0];
        if (spec.LargeStem) { Conv(channels, first, 7, 2); side = Math.Ceiling(side / 2); }
        else Conv(channels, first, 3, spec.StemStride);
        long current = first;
        for (var s = 0; s < spec.Widths.Length; s++)
            for (var b = 0; b < spec.BlocksPerStage[s]; b++)
            {
                var stride = s > 0 && b == 0 ? 2 : 1;
                var width = spec.Widths[s];
                var inputSide = side;
                Conv(current, width, 3, stride);
                Conv(width, width, 3, 1);
                if (stride != 1 || current != width) { var outputSide = side; side = inputSide; Conv(current, width, 1, stride); side = outputSide; }
                current = width;
            }
        flops += 2.0 * spec.FeatureDim * hiddenDim + 2.0 * hiddenDim * outputDim;
        return flops;
    }

    /// <summary>One training image: two views, each a forward and a backward pass (the backward costs about twice the forward).</summary>
    public static double TrainingPerImage(ResNetSpec spec, int channels, int imageSize, int hiddenDim = 1024, int outputDim = 128) =>
        2 * 3 * ForwardPerImage(spec, channels, imageSize, hiddenDim, outputDim);
}
