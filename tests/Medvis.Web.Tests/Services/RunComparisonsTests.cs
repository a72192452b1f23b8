using Medvis.Core.Storage;
using Medvis.Web.Results;
using Medvis.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Services;

/// <summary>The comparison service over runs stored in a real database.</summary>
public sealed class RunComparisonsTests : DatabasePageTestContext
{
    private readonly FinishedMaps _maps;

    public RunComparisonsTests()
    {
        AddDatasetServices();
        Services.AddSingleton<RunResults>();
        Services.AddSingleton<RunComparisons>();
        _maps = new FinishedMaps(Database);
    }

    private RunComparisons Comparisons => Services.GetRequiredService<RunComparisons>();

    [Fact]
    public async Task AMapImportedFromACsvComparesWithATrainedMapOfTheSameImages()
    {
        var trained = _maps.Add("medvis", 90, 2);
        var reference = Database.Artifacts.LoadResult(trained)!;
        // The same picture as Python would write it: turned by 90°, scaled, in reverse order, with a header.
        var csv = new System.Text.StringBuilder("index,x,y\n");
        for (var p = 89; p >= 0; p--)
            csv.Append(System.FormattableString.Invariant($"{reference.DatasetIndices[p]},{-reference.Y[p] * 3:R},{reference.X[p] * 3:R}\n"));
        var toy = Database.Datasets.Add(new DatasetRecord { Name = "toy", Spec = "toy" });
        var images = new Medvis.Core.Data.ImageDataset("toy", new byte[90], 90, 1, 1, 1, reference.Labels, FinishedMaps.ClassNames);
        var imported = MapImports.Import(Database, new StringReader(csv.ToString()), "tsimcne.csv", "python",
            new MapImportTarget(toy, Medvis.Core.Data.DatasetSplit.Train, images), new MapImporter("alice", 1), Medvis.Core.Data.InputLimits.Default);

        var outcome = await Comparisons.CompareAsync(Caller, [trained, imported.Id]);

        Assert.Null(outcome.Problem);
        var comparison = outcome.Comparison!;
        Assert.Equal(90, comparison.SharedCount);
        Assert.All(comparison.Runs[1].Map.JaccardToFirst, j => Assert.Equal(1.0, j));
        Assert.Equal(1 / 3.0, comparison.Runs[1].Map.Fit.Transform.Scale, 1e-4);
    }

    [Fact]
    public async Task ATurnedMirroredCopyStoredInAnotherOrderIsAlignedOntoTheFirstImageByImage()
    {
        var first = _maps.Add("seed 1", 90, 2);
        var copy = _maps.AddTurnedCopy("seed 2", first);

        var comparison = (await Comparisons.CompareAsync(Caller, [first, copy])).Comparison!;

        var reference = Database.Artifacts.LoadResult(first)!;
        Assert.Equal(90, comparison.SharedCount);
        for (var shared = 0; shared < comparison.SharedCount; shared++)
        {
            var point = comparison.Runs[0].PointIndices[shared];
            Assert.Equal(reference.X[point], comparison.Runs[1].Map.X[shared], 1e-4f);
            Assert.Equal(reference.Y[point], comparison.Runs[1].Map.Y[shared], 1e-4f);
            // The copy stores its points in reverse order: the image URL must name the copy's own point.
            Assert.Equal($"api/runs/{copy}/images/{89 - point}.png?scale=2", comparison.ImageUrl(1, shared, 2));
        }
        Assert.True(comparison.Runs[1].Map.Fit.Transform.Reflects);
        Assert.All(comparison.Runs[1].Map.JaccardToFirst, j => Assert.Equal(1.0, j));
    }

    [Fact]
    public async Task OnlyTheImagesEveryRunShowsAreCompared()
    {
        var (x, y, labels) = FinishedMaps.Clusters(60, 2, 3);
        var first = _maps.Add("all", x, y, labels, Enumerable.Range(0, 60).ToArray());
        var second = _maps.Add("later half", x[30..], y[30..], labels[30..], Enumerable.Range(30, 30).ToArray());

        var comparison = (await Comparisons.CompareAsync(Caller, [first, second])).Comparison!;

        Assert.Equal(Enumerable.Range(30, 30), comparison.DatasetIndices);
        Assert.Equal(Enumerable.Range(30, 30), comparison.Runs[0].PointIndices);
        Assert.Equal(Enumerable.Range(0, 30), comparison.Runs[1].PointIndices);
    }

    [Fact]
    public async Task RunsOfDifferentDatasetsUnfinishedRunsAndTooFewRunsAreRefusedWithAReason()
    {
        var first = _maps.Add("toy", 30, 2);
        var (x, y, labels) = FinishedMaps.Clusters(30, 2, 4);
        var elsewhere = _maps.Add("other data", x, y, labels, Enumerable.Range(0, 30).ToArray(), dataset: "other");
        var running = Database.Runs.Add(new RunRecord { Name = "still training", Status = RunStatus.Running, DatasetSpec = "toy" }).Id;

        Assert.Contains("map different images", (await Comparisons.CompareAsync(Caller, [first, elsewhere])).Problem);
        Assert.Contains($"Run #{running} is not a finished run", (await Comparisons.CompareAsync(Caller, [first, running])).Problem);
        Assert.Equal("Pick 2 to 4 finished runs.", (await Comparisons.CompareAsync(Caller, [first])).Problem);
    }

    [Fact]
    public async Task ASelectionIsTogetherInAMapThatKeepsItsClusterAndScatteredInOneThatMixesIt()
    {
        var tight = _maps.Add("tight", 90, 1);
        var (x, y, labels) = FinishedMaps.Clusters(90, 1, 5);
        // Class 0 moved onto class 2's cluster and interleaved with it.
        var mixedX = x.Select((v, i) => labels[i] == 0 ? v + 20 : v).ToArray();
        var mixed = _maps.Add("mixed", mixedX, y, labels, Enumerable.Range(0, 90).ToArray());

        var comparison = (await Comparisons.CompareAsync(Caller, [tight, mixed])).Comparison!;
        var classZero = Enumerable.Range(0, comparison.SharedCount).Where(i => comparison.Labels[i] == 0).ToArray();
        var selection = comparison.Describe(classZero, 200);

        Assert.Equal(30, selection.Count);
        Assert.Equal(1.0, selection.CohesionPerRun[0]);
        Assert.InRange(selection.CohesionPerRun[1]!.Value, 0, 0.7);
        Assert.Equal(classZero, selection.Preview.Points);
    }

    [Fact]
    public async Task ClassRowsListEveryClassWithEachRunsRecallAndItsDeltaToTheFirst()
    {
        var tight = _maps.Add("tight", 90, 1);
        var loose = _maps.Add("loose", 90, 40, seed: 7);

        var comparison = (await Comparisons.CompareAsync(Caller, [tight, loose])).Comparison!;
        var rows = comparison.ClassRows();

        Assert.Equal(FinishedMaps.ClassNames, rows.Select(r => r.Name));
        var tightMetrics = Services.GetRequiredService<RunResults>().Metrics(tight)!;
        var looseMetrics = Services.GetRequiredService<RunResults>().Metrics(loose)!;
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(tightMetrics.KnnRecallPerClass[c], rows[c].KnnRecall[0]);
            Assert.Equal(looseMetrics.KnnRecallPerClass[c], rows[c].KnnRecall[1]);
            Assert.Equal(looseMetrics.KnnRecallPerClass[c] - tightMetrics.KnnRecallPerClass[c], rows[c].DeltaToFirst[0]);
        }
        Assert.Equal(looseMetrics.KnnAccuracy - tightMetrics.KnnAccuracy, comparison.Runs[1].Delta!.KnnAccuracyDelta);
        Assert.Null(comparison.Runs[0].Delta);
    }
}
