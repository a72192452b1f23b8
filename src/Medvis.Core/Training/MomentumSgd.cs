using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Medvis.Core.Training;

/// <summary>
/// SGD with momentum and weight decay (PyTorch's update: d = g + λ·p; b = μ·b + d, b = d at the first step;
/// p −= lr·b), numerically the same as <c>torch.optim.SGD</c> with dampening 0.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's SGD passes its hyper-parameters to libtorch as implicitly converted Scalars that nothing keeps
/// alive, so a garbage collection in the middle of a step can finalize one and corrupt the update. This one holds its
/// Scalars in locals that outlive the calls. Its state is saved in TorchSharp's SGD format, so checkpoints written with
/// either load into the other.
/// </remarks>
public sealed class MomentumSgd : IDisposable
{
    private const string SavedTypeName = "SGD";
    private readonly Parameter[] parameters;
    private readonly Tensor?[] momentumBuffers;
    private readonly double momentum, weightDecay, initialLearningRate;

    /// <summary>Creates the optimiser over <paramref name="parameters"/> (float32 master weights).</summary>
    public MomentumSgd(IEnumerable<Parameter> parameters, double learningRate, double momentum, double weightDecay)
    {
        this.parameters = parameters.ToArray();
        momentumBuffers = new Tensor?[this.parameters.Length];
        LearningRate = initialLearningRate = learningRate;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    /// <summary>The rate of the next <see cref="Step"/>; the schedule sets it per epoch.</summary>
    public double LearningRate { get; set; }

    /// <summary>Zeroes the gradients of all parameters that have one.</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in parameters)
        {
            using var grad = parameter.grad;
            grad?.zero_();
        }
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var decay = weightDecay.ToScalar();
        using var keep = momentum.ToScalar();
        using var one = 1.0.ToScalar();
        using var descent = (-LearningRate).ToScalar();
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            var grad = parameter.grad;
            if (grad is null) continue;
            var direction = weightDecay != 0 ? grad.add(parameter, decay) : grad;
            if (momentum != 0)
            {
                if (momentumBuffers[i] is not { } buffer)
                    momentumBuffers[i] = direction.clone().detach().DetachFromDisposeScope();
                else
                    buffer.mul_(keep).add_(direction, one);
                direction = momentumBuffers[i]!;
            }
            parameter.add_(direction, descent);
        }
    }

    /// <summary>Writes the state as TorchSharp's <c>SGD.save_state_dict</c> does.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(SavedTypeName);
        WriteLeb128(writer, 1); // parameter groups
        WriteLeb128(writer, parameters.Length);
        writer.Write(initialLearningRate);
        writer.Write(LearningRate);
        writer.Write(momentum);
        writer.Write(0.0); // dampening
        writer.Write(weightDecay);
        writer.Write(false); // nesterov
        writer.Write(false); // maximize
        foreach (var buffer in momentumBuffers)
        {
            writer.Write(buffer is not null);
            buffer?.Save(writer);
        }
    }

    /// <summary>Reads a state written by <see cref="Save"/> or by TorchSharp's SGD over the same parameters.</summary>
    /// <exception cref="InvalidDataException">When the state is of another optimiser or other parameters.</exception>
    public void Load(BinaryReader reader)
    {
        var type = reader.ReadString();
        if (type != SavedTypeName) throw new InvalidDataException($"The optimiser state is of '{type}', not SGD.");
        var groups = ReadLeb128(reader);
        var states = ReadLeb128(reader);
        if (groups != 1 || states != parameters.Length)
            throw new InvalidDataException($"The optimiser state has {groups} groups and {states} parameters; this run has 1 and {parameters.Length}.");
        reader.ReadDouble(); // initial learning rate
        LearningRate = reader.ReadDouble();
        reader.ReadDouble(); // momentum, dampening and weight decay are the run's own
        reader.ReadDouble();
        reader.ReadDouble();
        reader.ReadBoolean();
        reader.ReadBoolean();
        for (var i = 0; i < parameters.Length; i++)
        {
            momentumBuffers[i]?.Dispose();
            momentumBuffers[i] = null;
            if (!reader.ReadBoolean()) continue;
            using var loaded = TensorExtensionMethods.Load(reader);
            momentumBuffers[i] = loaded.to(parameters[i].device, copy: true).DetachFromDisposeScope();
        }
    }

    private static void WriteLeb128(BinaryWriter writer, long value)
    {
        do
        {
            var low = (byte)(value & 0x7f);
            value >>= 7;
            writer.Write(value == 0 ? low : (byte)(low | 0x80));
        } while (value != 0);
    }

    private static long ReadLeb128(BinaryReader reader)
    {
        long result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var part = reader.ReadByte();
            result |= (long)(part & 0x7f) << shift;
            if ((part & 0x80) == 0) return result;
        }
    }

    /// <summary>Releases the momentum buffers.</summary>
    public void Dispose()
    {
        foreach (var buffer in momentumBuffers) buffer?.Dispose();
        Array.Clear(momentumBuffers);
    }
}
