using Medvis.Core.Training;
using static TorchSharp.torch;

namespace Medvis.Core.Tests.Training;

public class ContrastiveLossTests
{
    [Fact]
    public void CauchyLossMatchesHandComputedValue()
    {
        // Rows: a0=(0,0), a1=(1,0), b0=(0,1), b1=(1,1). Every positive has d²=1 (q=1/2); each row's other
        // terms are one q=1/2 and one q=1/3, so every row contributes log((1/2+1/2+1/3)/(1/2)) = log(8/3).
        using var z = tensor(new float[] { 0, 0, 1, 0, 0, 1, 1, 1 }, [4, 2]);
        using var loss = ContrastiveLoss.Compute(z, ContrastiveMetric.Cauchy);
        Assert.Equal(Math.Log(8.0 / 3.0), loss.item<float>(), 5);
    }

    [Fact]
    public void CauchyLossOnAnAsymmetricBatchMatchesDirectSum()
    {
        float[] values = [0.3f, -1.2f, 2.0f, 0.5f, -0.7f, 0.1f, 0.4f, -1.0f, 2.5f, 0.0f, -0.2f, 0.9f];
        using var z = tensor(values, [6, 2]);
        using var loss = ContrastiveLoss.Compute(z, ContrastiveMetric.Cauchy);
        Assert.Equal(DirectCauchyLoss(values, 6), loss.item<float>(), 5);
    }

    [Fact]
    public void CosineLossMatchesHandComputedValue()
    {
        // a0=b0=(1,0), a1=b1=(0,1): positive similarity 1/0.5=2, the two negatives 0, so each row is log(2+e²)−2.
        using var z = tensor(new float[] { 1, 0, 0, 1, 3, 0, 0, 2 }, [4, 2]);
        using var loss = ContrastiveLoss.Compute(z, ContrastiveMetric.Cosine);
        Assert.Equal(Math.Log(2 + Math.Exp(2)) - 2, loss.item<float>(), 5);
    }

    [Fact]
    public void FarApartPointsGiveFiniteLossAndGradients()
    {
        using var z = tensor(new float[] { 0, 0, 1e6f, 0, 0, 1e-3f, 1e6f, 1e-3f }, [4, 2], requires_grad: true);
        using var loss = ContrastiveLoss.Compute(z, ContrastiveMetric.Cauchy);
        loss.backward();
        Assert.True(float.IsFinite(loss.item<float>()));
        Assert.True(z.grad!.isfinite().all().item<bool>());
    }

    [Fact]
    public void OddOrTinyBatchesAreRejected()
    {
        using var odd = zeros(5, 2);
        Assert.Throws<ArgumentException>(() => ContrastiveLoss.Compute(odd, ContrastiveMetric.Cauchy));
        using var tiny = zeros(2, 2);
        Assert.Throws<ArgumentException>(() => ContrastiveLoss.Compute(tiny, ContrastiveMetric.Cauchy));
    }

    private static double DirectCauchyLoss(float[] values, int rows)
    {
        double Q(int i, int j)
        {
            var dx = values[2 * i] - values[2 * j];
            var dy = values[2 * i + 1] - values[2 * j + 1];
            return 1.0 / (1.0 + dx * dx + dy * dy);
        }
        var half = rows / 2;
        var total = 0.0;
        for (var i = 0; i < rows; i++)
        {
            var denominator = 0.0;
            for (var j = 0; j < rows; j++) if (j != i) denominator += Q(i, j);
            total += Math.Log(denominator) - Math.Log(Q(i, (i + half) % rows));
        }
        return total / rows;
    }
}
