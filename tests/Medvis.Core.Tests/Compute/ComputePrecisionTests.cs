using Medvis.Core.Compute;
using Medvis.Core.Training;
using static TorchSharp.torch;

namespace Medvis.Core.Tests.Compute;

public class ComputePrecisionTests
{
    [Fact]
    public void FindsTheBf16FlagsInCpuInfo()
    {
        const string cpuInfo = "processor\t: 0\nflags\t\t: fpu sse2 avx512f avx512_bf16 amx_tile\nbugs\t\t: none\n";
        Assert.Equal(["avx512_bf16"], ComputePrecision.Bf16CpuFlags(cpuInfo));
        Assert.Equal(["amx_bf16", "avx512_bf16"], ComputePrecision.Bf16CpuFlags("flags : amx_bf16 avx512_bf16 amx_tile"));
        Assert.Empty(ComputePrecision.Bf16CpuFlags("flags : fpu sse2 avx2"));
    }

    [Fact]
    public void AutoOnACpuWithoutBf16InstructionsPicksFp32WithoutProbing()
    {
        var choice = ComputePrecision.Resolve("auto", CPU, [], _ => throw new InvalidOperationException("no probe expected"));
        Assert.Equal("fp32", choice.Name);
        Assert.Contains("no amx_bf16 or avx512_bf16", choice.Reason);
    }

    [Theory]
    [InlineData(300, "bf16")]
    [InlineData(90, "fp32")]
    public void AutoOnABf16CpuPicksWhatTheProbeMeasuresFaster(double bf16ImagesPerSecond, string expected)
    {
        var choice = ComputePrecision.Resolve("auto", CPU, ["avx512_bf16"], type => type == ScalarType.BFloat16 ? bf16ImagesPerSecond : 100);
        Assert.Equal(expected, choice.Name);
        Assert.Contains("avx512_bf16", choice.Reason);
        Assert.Contains($"{bf16ImagesPerSecond:F0} images/s bf16 vs 100 fp32", choice.Reason);
    }

    [Theory]
    [InlineData("fp32", "fp32")]
    [InlineData("BF16", "bf16")]
    [InlineData("bfloat16", "bf16")]
    public void ExplicitChoicesNeedNoProbe(string requested, string expected)
    {
        var choice = ComputePrecision.Resolve(requested, CPU, ["avx512_bf16"], _ => throw new InvalidOperationException("no probe expected"));
        Assert.Equal(expected, choice.Name);
        Assert.Equal(expected == "bf16" ? ScalarType.BFloat16 : ScalarType.Float32, choice.ComputeType);
    }

    [Fact]
    public void UnknownPrecisionsAreRejectedByTheOptions()
    {
        var error = Assert.Throws<InvalidSettingsException>(() => new TrainingOptions { Precision = "fp16" }.Validate());
        Assert.Contains("precision 'fp16'", error.Message);
        Assert.Throws<ArgumentException>(() => ComputePrecision.Resolve("fp16", CPU, [], _ => 1));
    }
}
