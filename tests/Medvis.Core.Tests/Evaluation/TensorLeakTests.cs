using Medvis.Core.Evaluation;
using TorchSharp;

namespace Medvis.Core.Tests.Evaluation;

public class TensorLeakTests
{
    [Fact]
    public void MatrixRoutesLeaveNoLiveTensorsBehind()
    {
        var (points, labels) = SyntheticPoints.Blobs(300, 3, 16, spread: 1.0, seed: 8);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        KnnEvaluation.Evaluate(points, labels);
        Silhouette.Compute(points, labels);
        LinearEvaluation.Evaluate(points, labels, new LinearEvaluationOptions(MaxSteps: 50));

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
