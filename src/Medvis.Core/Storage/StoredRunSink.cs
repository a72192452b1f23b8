using Medvis.Core.Evaluation;
using Medvis.Core.Runs;
using Medvis.Core.Training;

namespace Medvis.Core.Storage;

/// <summary>A stored run as the target of a map run: checkpoints and artifacts go to the database under the run's id.</summary>
public sealed class StoredRunSink(IMedvisStore database, int runId) : IMapRunSink
{
    /// <inheritdoc />
    public ICheckpointStore Checkpoints { get; } = database.CheckpointsFor(runId);

    /// <inheritdoc />
    public void Save(MapRunArtifacts artifacts)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        var map = artifacts.Map;
        var (x, y) = MapPoints.Columns(map.Coords);
        database.Artifacts.SaveResult(new RunResult(runId, x, y, map.Labels, map.Indices, map.ClassNames));
        var metrics = artifacts.Metrics;
        if (artifacts.PixelBaseline is { } baseline && metrics.Baseline is { } comparison)
            metrics = metrics with { Baseline = comparison with { RunId = SaveBaselineRun(baseline.Map, baseline.Metrics) } };
        database.Artifacts.SaveMetricsJson(runId, metrics.ToJson());
        database.Artifacts.SaveCardJson(runId, artifacts.Card.ToJson());
        database.Artifacts.SaveModel(runId, artifacts.Model.ToBytes());
    }

    /// <summary>
    /// The pixel t-SNE as a finished map of its own (kind <see cref="RunKind.Imported"/>, same dataset split and
    /// owner), so Compare opens it beside the learned map; null when the trained run is gone.
    /// </summary>
    private int? SaveBaselineRun(Evaluation.MapCoordinates map, Evaluation.MetricsReport metrics)
    {
        if (database.Runs.Get(runId) is not { } run) return null;
        var record = MapImports.ImportedRun($"Pixel t-SNE of {run.Name}",
            $"the t-SNE of the pixels of the {map.Labels.Length:N0} images run {runId} trained on: its baseline");
        record.DatasetId = run.DatasetId;
        record.DatasetSpec = run.DatasetSpec;
        record.DatasetName = run.DatasetName;
        record.ImageSize = run.ImageSize;
        record.Split = run.Split;
        record.MaxImages = run.MaxImages;
        record.OwnerId = run.OwnerId;
        record.OwnerName = run.OwnerName;
        var (x, y) = MapPoints.Columns(map.Coords);
        var baseline = MapImports.AddWithMap(database, record, id => new RunResult(id, x, y, map.Labels, map.Indices, map.ClassNames));
        database.Artifacts.SaveMetricsJson(baseline.Id, metrics.ToJson());
        return baseline.Id;
    }
}
