using Medvis.Core.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Medvis.Core.Tests.Training;

public class MomentumSgdTests
{
    private static Parameter[] Parameters(ulong seed)
    {
        using var generator = new Generator(seed, CPU);
        return [new Parameter(randn(new long[] { 4, 3 }, generator: generator)), new Parameter(randn(new long[] { 3 }, generator: generator))];
    }

    private static void Backward(Parameter[] parameters, int step)
    {
        using var scope = NewDisposeScope();
        using var target = tensor(new[] { step * 0.1f, -0.2f, 0.3f });
        var error = parameters[0].sum(0L).mul(parameters[1]).sub(target);
        error.mul(error).sum().backward();
    }

    [Fact]
    public void StepsExactlyAsTorchSharpsSgd()
    {
        var ours = Parameters(1);
        var theirs = Parameters(1);
        using var sgd = new MomentumSgd(ours, 0.05, 0.9, 5e-4);
        using var reference = optim.SGD(theirs, 0.05, momentum: 0.9, weight_decay: 5e-4);
        for (var step = 0; step < 5; step++)
        {
            sgd.LearningRate = reference.ParamGroups.First().LearningRate = 0.05 / (step + 1);
            sgd.ZeroGrad(); reference.zero_grad();
            Backward(ours, step); Backward(theirs, step);
            sgd.Step(); reference.step();
        }
        for (var i = 0; i < ours.Length; i++) Assert.Equal(theirs[i].data<float>().ToArray(), ours[i].data<float>().ToArray());
    }

    [Fact]
    public void ReadsTheStateTorchSharpsSgdWritesAndWritesItTheSameWay()
    {
        var parameters = Parameters(2);
        using var reference = optim.SGD(parameters, 0.05, momentum: 0.9, weight_decay: 5e-4);
        reference.zero_grad(); Backward(parameters, 1); reference.step();
        using var written = new MemoryStream();
        using (var writer = new BinaryWriter(written, System.Text.Encoding.UTF8, leaveOpen: true)) reference.save_state_dict(writer);

        using var sgd = new MomentumSgd(parameters, 0.05, 0.9, 5e-4);
        written.Position = 0;
        sgd.Load(new BinaryReader(written));
        using var rewritten = new MemoryStream();
        using (var writer = new BinaryWriter(rewritten, System.Text.Encoding.UTF8, leaveOpen: true)) sgd.Save(writer);

        Assert.Equal(written.ToArray(), rewritten.ToArray());
    }

    [Fact]
    public void RefusesTheStateOfOtherParameters()
    {
        using var sgd = new MomentumSgd(Parameters(3), 0.05, 0.9, 5e-4);
        using var other = new MomentumSgd(Parameters(3).Take(1), 0.05, 0.9, 5e-4);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) other.Save(writer);
        stream.Position = 0;
        Assert.Throws<InvalidDataException>(() => sgd.Load(new BinaryReader(stream)));
    }
}
