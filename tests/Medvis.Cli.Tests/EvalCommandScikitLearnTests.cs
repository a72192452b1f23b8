using Medvis.Cli.Commands;
using Medvis.Core.Evaluation;
using Medvis.Core.Tests.Evaluation;

namespace Medvis.Cli.Tests;

/// <summary><c>medvis eval --coords</c> gives scikit-learn's numbers on the reference maps of Medvis.Core.Tests/ReferenceData.</summary>
public sealed class EvalCommandScikitLearnTests : IDisposable
{
    private const double KnnTolerance = 1e-12;
    private const double SilhouetteTolerance = 1e-6;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("medvis-sklearn-knn-");

    public void Dispose() => _folder.Delete(recursive: true);

    public static TheoryData<string> Maps() => ScikitLearnReference.Cases("maps");

    [Theory]
    [MemberData(nameof(Maps))]
    public void EvalCommandOnTheCoordsGivesScikitLearnsNumbers(string name)
    {
        var map = ReferenceMap.Load(name);
        var classNames = Enumerable.Range(0, map.Labels.Max() + 1).Select(c => $"class {c}").ToArray();
        var coords = Path.Combine(_folder.FullName, name + ".csv");
        CoordsCsv.Write(coords, new MapCoordinates(Enumerable.Range(0, map.Labels.Length).ToArray(), map.Labels, classNames, map.Points));
        var metrics = Path.Combine(_folder.FullName, name + ".json");

        Assert.Equal(0, EvalCommand.Create().Parse(["--coords", coords, "--out", metrics]).Invoke());

        var report = MetricsReport.FromJson(File.ReadAllText(metrics));
        Assert.Equal(map.KnnAccuracy, report.KnnAccuracy, KnnTolerance);
        Assert.NotNull(report.KnnRepeated);
        Assert.Equal(map.RepeatedSeeds, report.KnnRepeated.Seeds);
        Assert.Equal(map.RepeatedMean, report.KnnRepeated.Mean, KnnTolerance);
        Assert.Equal(map.RepeatedStd, report.KnnRepeated.StandardDeviation, KnnTolerance);
        Assert.NotNull(report.KnnLeaveOneOut);
        Assert.Equal(map.LeaveOneOutAccuracy, report.KnnLeaveOneOut.Value, KnnTolerance);
        Assert.NotNull(report.Silhouette);
        Assert.Equal(map.Silhouette, report.Silhouette.Value, SilhouetteTolerance);
    }

    [Fact]
    public void EvalSummaryNamesTheMainSplitTheRepeatedSplitsAndLeaveOneOut()
    {
        var map = ReferenceMap.Load("blobs_3");
        var report = MapEvaluator.Evaluate(map.Points, map.Labels, ["a", "b", "c"]);

        var summary = EvalCommand.Summary(report);

        Assert.Contains($"kNN accuracy {map.KnnAccuracy.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)} (seed 0)", summary);
        Assert.Contains($"{map.RepeatedMean.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)} ± ", summary);
        Assert.Contains("over 10 seeded splits", summary);
        Assert.Contains($"leave-one-out {map.LeaveOneOutAccuracy.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)}", summary);
    }

    [Fact]
    public void RepeatedSplitsAndLeaveOneOutCanBeLeftOut()
    {
        var map = ReferenceMap.Load("blobs_3");
        var report = MapEvaluator.Evaluate(map.Points, map.Labels, ["a", "b", "c"],
            new MapEvaluationOptions(RepeatedSeeds: [], LeaveOneOut: false));

        Assert.Null(report.KnnRepeated);
        Assert.Null(report.KnnLeaveOneOut);
        Assert.All(report.Classes, row => Assert.Null(row.KnnLeaveOneOutRecall));
        Assert.DoesNotContain("leave-one-out", EvalCommand.Summary(report));
    }
}
