using static TorchSharp.torch;

namespace Medvis.Core.Models;

/// <summary>Memory layouts of N×C×H×W tensors.</summary>
internal static class MemoryLayout
{
    /// <summary>
    /// The same values, stored channels-last (NHWC) behind the usual N×C×H×W shape. TorchSharp 0.107 has no
    /// <c>memory_format</c> argument, so the layout comes from a permuted copy: libtorch reads channels-last from
    /// the strides, and convolutions then keep that layout for their outputs. The intermediate tensors belong to the
    /// caller's dispose scope.
    /// </summary>
    public static Tensor ToChannelsLast(Tensor images)
    {
        if (images.dim() != 4 || IsChannelsLast(images)) return images;
        return images.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
    }

    /// <summary>True when the channel stride is 1 and the width stride is the channel count (NHWC storage).</summary>
    public static bool IsChannelsLast(Tensor images)
    {
        if (images.dim() != 4) return false;
        var strides = images.stride();
        return strides[1] == 1 && strides[3] == images.shape[1] && strides[2] == images.shape[1] * images.shape[3];
    }
}
