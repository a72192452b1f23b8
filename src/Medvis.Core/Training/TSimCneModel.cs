using System.Text.Json;
using Medvis.Core.Compute;
using Medvis.Core.Data;
using Medvis.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Training;

/// <summary>
/// A trained t-SimCNE network with what it needs to embed new images the same way (options, image shape,
/// normalisation, border colour). Parametric: <see cref="Transform"/> places any image of the right shape
/// into the map, so out-of-sample images land where the training images of their kind are.
/// </summary>
public sealed class TSimCneModel : IDisposable
{
    private const string Magic = "MEDVIS-TSIMCNE-1";
    private readonly TSimCneNetwork network;
    private readonly Device device;

    internal TSimCneModel(TSimCneNetwork network, Device device, ModelMetadata metadata)
    {
        this.network = network;
        this.device = device;
        Metadata = metadata;
        network.eval();
    }

    internal ModelMetadata Metadata { get; }
    public TrainingOptions Options => Metadata.Options;
    public int Channels => Metadata.Channels;
    public int Height => Metadata.Height;
    public int Width => Metadata.Width;
    /// <summary>The dataset's mean border colour, 0-255 per channel.</summary>
    public float[] BorderColor => Metadata.BorderColor;
    /// <summary>Class names of the training data, for labelling maps.</summary>
    public IReadOnlyList<string> ClassNames => Metadata.ClassNames;
    /// <summary>Output dimension (2 after stage 2; 128 if only stage 1 ran).</summary>
    public int OutputDim => (int)network.OutputDim;

    /// <summary>Coordinates (N×OutputDim, N×2 for a map) of <paramref name="images"/>: eval mode, no augmentation.</summary>
    /// <exception cref="ArgumentException">When the images' shape differs from the training images'.</exception>
    public float[,] Transform(ImageDataset images, int batchSize = 512) => Embed(images, batchSize, features: false);

    /// <summary>Backbone features (before the projection head) of <paramref name="images"/>, N×FeatureDim.</summary>
    public float[,] Features(ImageDataset images, int batchSize = 512) => Embed(images, batchSize, features: true);

    private float[,] Embed(ImageDataset images, int batchSize, bool features)
    {
        if (images.Channels != Channels || images.Height != Height || images.Width != Width)
            throw new ArgumentException($"The model embeds {Channels}×{Height}×{Width} images; '{images.Name}' has {images.Channels}×{images.Height}×{images.Width}.");
        if (batchSize < 1) throw new ArgumentException("Batch size must be positive.");
        var width = features ? network.Spec.FeatureDim : OutputDim;
        var result = new float[images.Count, width];
        using var noGrad = no_grad();
        for (var start = 0; start < images.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(batchSize, images.Count - start);
            var bytes = images.Pixels.AsSpan(start * images.ImageSize, count * images.ImageSize).ToArray();
            var batch = ImageTensors.ToUnitRange(tensor(bytes, [count, Channels, Height, Width], ScalarType.Byte, device));
            var output = EmbedUnitImages(batch, features).data<float>().ToArray();
            Buffer.BlockCopy(output, 0, result, start * width * sizeof(float), output.Length * sizeof(float));
        }
        return result;
    }

    /// <summary>
    /// Outputs (or backbone features) of float32 images in [0, 1] (N×C×H×W, any device; normalised in place), as a
    /// contiguous float32 CPU tensor. Call under <c>no_grad</c>.
    /// </summary>
    internal Tensor EmbedUnitImages(Tensor images, bool features)
    {
        var input = ImageTensors.Normalize(images.to(device), Metadata.Mean, Metadata.Std);
        return (features ? network.Features(input) : network.forward(input)).to_type(ScalarType.Float32).cpu().contiguous();
    }

    /// <summary>Serialises weights and metadata into one self-contained blob.</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(Metadata));
            writer.Write((int)network.OutputDim);
            network.save(writer);
        }
        return stream.ToArray();
    }

    /// <summary>The precision the model embeds in, "fp32" or "bf16".</summary>
    public string Precision => network.ComputeType == ScalarType.BFloat16 ? ComputePrecision.BFloat16 : ComputePrecision.Float32;

    /// <summary>
    /// Restores a model written by <see cref="ToBytes"/> onto <paramref name="deviceName"/> ("auto", "cpu", "cuda").
    /// <paramref name="precision"/> null embeds in the precision the model was trained in; "fp32" or "bf16" choose; "auto"
    /// takes bf16 on CUDA or on a CPU with bf16 instructions (no probe: embedding is a single pass).
    /// </summary>
    /// <exception cref="InvalidDataException">When the bytes are not a Medvis model.</exception>
    /// <exception cref="ArgumentException">When the precision is unknown.</exception>
    public static TSimCneModel FromBytes(byte[] bytes, string deviceName = "auto", string? precision = null)
    {
        var device = ComputeDevice.Resolve(deviceName);
        var requested = precision is null ? null
            : ComputePrecision.Normalize(precision) ?? throw new ArgumentException($"Unknown precision '{precision}': use {string.Join(", ", ComputePrecision.Names)}.");
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes));
            if (reader.ReadString() != Magic) throw new InvalidDataException("not a Medvis t-SimCNE model file");
            var metadata = JsonSerializer.Deserialize<ModelMetadata>(reader.ReadString())
                           ?? throw new InvalidDataException("model metadata is missing");
            var outputDim = reader.ReadInt32();
            var network = new TSimCneNetwork(metadata.Spec, metadata.Channels, metadata.Options.HiddenDim, outputDim);
            network.load(reader);
            network.to(device);
            var embedIn = EmbeddingPrecision(requested ?? ComputePrecision.Normalize(metadata.Options.Precision) ?? ComputePrecision.Float32, device);
            network.ComputeType = embedIn == ComputePrecision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float32;
            network.ChannelsLast = embedIn == ComputePrecision.BFloat16;
            return new TSimCneModel(network, device, metadata);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or IOException or ArgumentException)
        {
            throw new InvalidDataException($"not a readable Medvis model ({e.Message})", e);
        }
    }

    private static string EmbeddingPrecision(string requested, Device device) => requested switch
    {
        ComputePrecision.Auto => device.type == DeviceType.CUDA || ComputePrecision.Bf16CpuFlags().Count > 0 ? ComputePrecision.BFloat16 : ComputePrecision.Float32,
        _ => requested,
    };

    public void Dispose() => network.Dispose();
}

/// <summary>What a saved model needs besides its weights.</summary>
internal sealed record ModelMetadata(
    TrainingOptions Options, ResNetSpec Spec, int Channels, int Height, int Width,
    float[] Mean, float[] Std, float[] BorderColor, IReadOnlyList<string> ClassNames);
