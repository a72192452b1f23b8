using Medvis.Core.Augmentation;
using Medvis.Core.Evaluation;
using Medvis.Core.Runs;
using Medvis.Core.Training;

namespace Medvis.Core.Tests.Runs;

public class BaselineAdviceTests
{
    private static MetricsReport Report(double knn, double silhouette, double? tenSplits = null) =>
        new("m", 100, 2, 15, 0, 0.1, 90, 10, knn, silhouette, false, 100, [], new MetricsTimings(0, 0, 12.5),
            tenSplits is { } mean ? new RepeatedKnnAccuracy([0, 1], [mean, mean], mean, 0) : null);

    [Fact]
    public void TheComparisonUsesTheTenSplitMeansWhenBothMapsHaveThem()
    {
        var comparison = BaselineComparison.Of(Report(0.80, 0.40, tenSplits: 0.879), Report(0.70, 0.07, tenSplits: 0.723));
        Assert.True(comparison.KnnOverTenSplits);
        Assert.Equal(0.156, comparison.KnnDelta, 9);
        Assert.Equal("t-SimCNE vs pixel t-SNE: +15.6 kNN points (mean of 10 splits), +0.33 silhouette", comparison.Summary);
        Assert.Null(BaselineAdvice.For(comparison, new TrainingOptions()));
        Assert.Equal(12.5, comparison.EmbeddingSeconds);

        var oneSplit = BaselineComparison.Of(Report(0.80, 0.40), Report(0.70, 0.07, tenSplits: 0.723));
        Assert.False(oneSplit.KnnOverTenSplits);
        Assert.Equal(0.10, oneSplit.KnnDelta, 9);
    }

    [Fact]
    public void AMapThatLosesSaysSoAndNamesTheOtherAugmentationFamilyAndTheOrientationObjective()
    {
        var loses = BaselineComparison.Of(Report(0.82, 0.28), Report(0.91, 0.35));
        Assert.True(loses.MapLoses);
        var rotated = BaselineAdvice.For(loses, new TrainingOptions { Augmentation = AugmentationOptions.Rotate })!;
        Assert.StartsWith("This map shows less than the t-SNE of the pixels (−9.0 kNN points, −0.07 silhouette).", rotated);
        Assert.Contains("the natural augmentation family", rotated);
        Assert.Contains("tsimcne+isimed", rotated);
        var natural = BaselineAdvice.For(loses, new TrainingOptions { Augmentation = AugmentationOptions.Natural, Objective = TrainingObjective.Combined })!;
        Assert.Contains("the rotate augmentation family", natural);
        Assert.DoesNotContain("isimed", natural);
    }
}
