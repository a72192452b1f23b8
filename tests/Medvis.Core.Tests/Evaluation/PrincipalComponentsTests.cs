using Medvis.Core.Evaluation;
using Medvis.Core.Evaluation.Tsne;

namespace Medvis.Core.Tests.Evaluation;

public class PrincipalComponentsTests
{
    [Fact]
    public void GramAndCovarianceRoutesGiveTheSameScores()
    {
        // 60 points in 200-d use the Gram route; the same points repeated 4× (240 ≥ 200) use the covariance route.
        var (wide, _) = SyntheticPoints.Blobs(60, 3, 200, spread: 1.0, seed: 21);
        var repeated = new float[240, 200];
        for (var i = 0; i < 240; i++)
            for (var j = 0; j < 200; j++)
                repeated[i, j] = wide[i % 60, j];

        var gram = PrincipalComponents.Project(wide, 5);
        var covariance = PrincipalComponents.Project(repeated, 5);

        for (var i = 0; i < 60; i++)
            for (var c = 0; c < 5; c++)
                Assert.Equal(covariance[i, c], gram[i, c], 1e-6);
    }

    [Fact]
    public void FirstComponentFollowsTheWidestDirection()
    {
        var points = new float[100, 3];
        for (var i = 0; i < 100; i++) { points[i, 0] = i % 7; points[i, 1] = 10 * (i % 10); points[i, 2] = i % 3; }
        var scores = PrincipalComponents.Project(points, 2);
        var variance = Enumerable.Range(0, 2).Select(c => Enumerable.Range(0, 100).Select(i => scores[i, c] * scores[i, c]).Average()).ToArray();
        Assert.True(variance[0] > variance[1]);
        Assert.Equal(825, variance[0], 1.0);
    }
}
