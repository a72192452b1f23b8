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
        database.Artifacts.SaveMetricsJson(runId, artifacts.Metrics.ToJson());
        database.Artifacts.SaveCardJson(runId, artifacts.Card.ToJson());
        database.Artifacts.SaveModel(runId, artifacts.Model.ToBytes());
    }
}
