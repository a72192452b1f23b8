using Medvis.Core.Data;
using Medvis.Core.Evaluation;
using Medvis.Core.Storage;

namespace Medvis.Web.Tests.Support;

/// <summary>Stores finished runs with hand-made maps of the same images, for the comparison service and page.</summary>
internal sealed class FinishedMaps(IMedvisStore database)
{
    public static readonly string[] ClassNames = ["basophil", "eosinophil", "immature granulocyte"];

    /// <summary>A map of <paramref name="count"/> images (dataset indices 0..count-1) in 3 clusters, spread by <paramref name="spread"/>.</summary>
    public static (float[] X, float[] Y, int[] Labels) Clusters(int count, float spread, int seed)
    {
        var random = new Random(seed);
        var labels = Enumerable.Range(0, count).Select(i => i % 3).ToArray();
        return (labels.Select(l => l * 10 + spread * (float)random.NextDouble()).ToArray(),
                labels.Select(l => (l == 1 ? 8 : 0) + spread * (float)random.NextDouble()).ToArray(), labels);
    }

    /// <summary>Stores a finished run whose point p shows dataset image <paramref name="datasetIndices"/>[p].</summary>
    public int Add(string name, float[] x, float[] y, int[] labels, int[] datasetIndices, string dataset = "toy")
    {
        var run = database.Runs.Add(new RunRecord { Name = name, Status = RunStatus.Done, DatasetName = dataset, DatasetSpec = dataset, TrainingSeconds = 12 });
        database.Artifacts.SaveResult(new RunResult(run.Id, x, y, labels, datasetIndices, ClassNames));
        database.Artifacts.SaveMetricsJson(run.Id, MapEvaluator.Evaluate(MapPoints.FromColumns(x, y), labels, ClassNames).ToJson());
        return run.Id;
    }

    /// <summary>
    /// Stores a finished run of the first <paramref name="count"/> images of <paramref name="images"/> (a registered
    /// dataset's split), their classes on a ring, with its metrics: a map whose points have images behind them.
    /// </summary>
    public int AddRing(string name, DatasetRecord dataset, ImageDataset images, int count, int seed = 0)
    {
        var random = new Random(seed + 1);
        var labels = images.Labels.Take(count).ToArray();
        var classes = images.ClassNames.Count;
        var x = labels.Select(l => (float)(10 * Math.Cos(2 * Math.PI * l / classes) + 3 * random.NextDouble())).ToArray();
        var y = labels.Select(l => (float)(10 * Math.Sin(2 * Math.PI * l / classes) + 3 * random.NextDouble())).ToArray();
        var run = database.Runs.Add(new RunRecord
        {
            Name = name, Status = RunStatus.Done, DatasetId = dataset.Id, DatasetSpec = dataset.Spec, DatasetName = dataset.Name,
            ImageSize = dataset.ImageSize, Split = DatasetSplit.Train, TrainingSeconds = 60,
        });
        database.Artifacts.SaveResult(new RunResult(run.Id, x, y, labels, Enumerable.Range(0, labels.Length).ToArray(), images.ClassNames));
        database.Artifacts.SaveMetricsJson(run.Id, MapEvaluator.Evaluate(MapPoints.FromColumns(x, y), labels, images.ClassNames).ToJson());
        return run.Id;
    }

    /// <summary>A run of <paramref name="count"/> clustered images in dataset order.</summary>
    public int Add(string name, int count, float spread, int seed = 1)
    {
        var (x, y, labels) = Clusters(count, spread, seed);
        return Add(name, x, y, labels, Enumerable.Range(0, count).ToArray());
    }

    /// <summary>
    /// The map of run <paramref name="of"/> turned by 90°, mirrored, halved and shifted, with its points stored in
    /// reverse order: the same picture of the same images, as another training seed could draw it.
    /// </summary>
    public int AddTurnedCopy(string name, int of)
    {
        var source = database.Artifacts.LoadResult(of)!;
        return Add(name, source.Y.Select(v => v * 0.5f + 3).Reverse().ToArray(), source.X.Select(v => v * 0.5f - 8).Reverse().ToArray(),
            source.Labels.Reverse().ToArray(), source.DatasetIndices.Reverse().ToArray());
    }
}
