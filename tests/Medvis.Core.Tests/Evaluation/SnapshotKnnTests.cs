using Medvis.Core.Evaluation;

namespace Medvis.Core.Tests.Evaluation;

/// <summary>The live kNN accuracy of the snapshot subset: the same classifier and split as the reported metrics.</summary>
public class SnapshotKnnTests
{
    [Fact]
    public void ItEqualsTheReportedKnnOnTheSeedZeroSplit()
    {
        var random = new Random(4);
        const int n = 300, d = 16;
        var points = new float[n, d];
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = i % 3;
            for (var j = 0; j < d; j++) points[i, j] = (float)(random.NextDouble() + (j == labels[i] ? 0.6 : 0));
        }
        var expected = KnnEvaluation.Evaluate(points, labels).Accuracy;
        Assert.Equal(expected, SnapshotKnn.Accuracy(points, labels));
        Assert.InRange(expected, 0.5, 1.0);
    }

    [Fact]
    public void SubsetsThatCannotBeScoredGiveNull()
    {
        Assert.Null(SnapshotKnn.Accuracy(new float[1, 2], [0]));
        Assert.Null(SnapshotKnn.Accuracy(new float[,] { { 0, float.NaN }, { 1, 1 }, { 2, 2 }, { 3, 3 } }, [0, 1, 0, 1]));
    }
}
