using Medvis.Core.Evaluation;

namespace Medvis.Core.Tests.Evaluation;

public class MetricsReportTests
{
    [Fact]
    public void EvaluatorReportsPerClassNumbersAndSurvivesAJsonRoundTrip()
    {
        var (points, labels) = SyntheticPoints.Blobs(900, 3, 2, spread: 0.5, seed: 1);
        var names = new[] { "basophil", "eosinophil", "platelet", "unused" };

        var report = MapEvaluator.Evaluate(points, labels, names).WithMethod("test");
        var back = MetricsReport.FromJson(report.ToJson());

        Assert.Equal(1.0, report.KnnAccuracy);
        Assert.Equal(90, report.TestCount);
        Assert.Equal(4, report.Classes.Count);
        Assert.Equal("platelet", report.Classes[2].Name);
        Assert.Equal(1.0, report.Classes[0].KnnRecall);
        Assert.Null(report.Classes[3].KnnRecall);
        Assert.Null(report.Classes[3].Silhouette);
        Assert.InRange(report.Silhouette!.Value, 0.8, 1.0);
        Assert.Equal(report.ToJson(), back.ToJson());
        Assert.Contains("\"knnAccuracy\": 1", report.ToJson());
    }

    [Fact]
    public void ReportsWrittenBeforeRepeatedAndLeaveOneOutKnnStillLoad()
    {
        var (points, labels) = SyntheticPoints.Blobs(200, 2, 2, spread: 1, seed: 4);
        var current = System.Text.Json.Nodes.JsonNode.Parse(MapEvaluator.Evaluate(points, labels, ["a", "b"]).ToJson())!.AsObject();
        current.Remove("knnRepeated");
        current.Remove("knnLeaveOneOut");
        foreach (var row in current["classes"]!.AsArray()) row!.AsObject().Remove("knnLeaveOneOutRecall");

        var older = MetricsReport.FromJson(current.ToJsonString());

        Assert.Null(older.KnnRepeated);
        Assert.Null(older.KnnLeaveOneOut);
        Assert.Null(older.Classes[0].KnnLeaveOneOutRecall);
        Assert.NotNull(MetricsReport.FromJson(MapEvaluator.Evaluate(points, labels, ["a", "b"]).ToJson()).KnnRepeated);
    }

    [Fact]
    public void SingleClassMapsHaveNoSilhouette()
    {
        var (points, _) = SyntheticPoints.Blobs(100, 1, 2, spread: 1, seed: 2);
        var report = MapEvaluator.Evaluate(points, new int[100], new[] { "only" });
        Assert.Null(report.Silhouette);
        Assert.Equal(1.0, report.KnnAccuracy);
    }

    [Fact]
    public void LargeSetsAreSampledAndSaySo()
    {
        var (points, labels) = SyntheticPoints.Blobs(2000, 3, 2, spread: 1, seed: 3);
        var result = Silhouette.Compute(points, labels, new SilhouetteOptions(MaxExactPoints: 1000, SampleSize: 500));
        Assert.True(result.Sampled);
        Assert.Equal(500, result.PointIndices.Length);
        Assert.Equal(Silhouette.Compute(points, labels).Overall, result.Overall, 0.05);
    }

    [Fact]
    public void NotJsonIsAFormatError()
    {
        Assert.Throws<FormatException>(() => MetricsReport.FromJson("{ nope"));
        Assert.Throws<ArgumentException>(() => MapEvaluator.Evaluate(new float[10, 2], new int[10], Array.Empty<string>()));
    }

    [Fact]
    public void LinearProbeSeparatesALinearlySeparableProblem()
    {
        var (features, labels) = SyntheticPoints.Blobs(600, 4, 64, spread: 1.0, seed: 9);
        var result = LinearEvaluation.Evaluate(features, labels);
        Assert.Equal(1.0, result.TestAccuracy);
        Assert.Equal(60, result.Predictions.Length);
        Assert.True(result.FinalLoss < 0.05, $"loss {result.FinalLoss}");
    }

    [Fact]
    public void LinearProbeOfNoiseIsNearChanceOnTheTestPart()
    {
        var random = new Random(4711);
        var features = new float[800, 32];
        for (var i = 0; i < 800; i++) for (var j = 0; j < 32; j++) features[i, j] = (float)random.NextDouble();
        var labels = Enumerable.Range(0, 800).Select(i => i % 2).ToArray();
        var result = LinearEvaluation.Evaluate(features, labels);
        Assert.InRange(result.TestAccuracy, 0.3, 0.7);
    }
}
