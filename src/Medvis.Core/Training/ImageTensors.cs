using TorchSharp;
using Medvis.Core.Data;
using static TorchSharp.torch;

namespace Medvis.Core.Training;

/// <summary>Moves dataset pixels onto a device and turns batches of them into network input.</summary>
internal static class ImageTensors
{
    /// <summary>All images as one uint8 N×C×H×W tensor on <paramref name="device"/> (4× smaller than float).</summary>
    public static Tensor ToDevice(ImageDataset data, Device device) =>
        tensor(data.Pixels, [data.Count, data.Channels, data.Height, data.Width], ScalarType.Byte, device);

    /// <summary>Images <paramref name="indices"/> as float32 in [0, 1].</summary>
    public static Tensor Batch(Tensor images, Tensor indices) => ToUnitRange(images.index_select(0, indices));

    /// <summary>uint8 pixels as float32 in [0, 1]; the divisor is a Scalar kept alive for the call.</summary>
    public static Tensor ToUnitRange(Tensor pixels)
    {
        using var full = 255.0.ToScalar();
        return pixels.to_type(ScalarType.Float32).div_(full);
    }

    /// <summary>Per-channel mean and standard deviation of all pixels, in [0, 1] units.</summary>
    public static (float[] Mean, float[] Std) ChannelStatistics(ImageDataset data)
    {
        using var scope = NewDisposeScope();
        using var full = 255.0.ToScalar();
        using var smallestStd = 1e-3.ToScalar();
        var pixels = tensor(data.Pixels, [data.Count, data.Channels, data.Height * data.Width], ScalarType.Byte)
            .to_type(ScalarType.Float64).div_(full).transpose(0, 1).reshape(data.Channels, -1);
        var mean = pixels.mean([1L]).to_type(ScalarType.Float32).data<float>().ToArray();
        var std = pixels.std(1).clamp_min(smallestStd).to_type(ScalarType.Float32).data<float>().ToArray();
        return (mean, std);
    }

    /// <summary>(x − mean) / std per channel, in place.</summary>
    public static Tensor Normalize(Tensor batch, float[] mean, float[] std)
    {
        var shape = new long[] { 1, mean.Length, 1, 1 };
        using var meanTensor = tensor(mean, shape, device: batch.device);
        using var stdTensor = tensor(std, shape, device: batch.device);
        return batch.sub_(meanTensor).div_(stdTensor);
    }
}
