using Medvis.Core.Evaluation;
using Medvis.Core.Training;

namespace Medvis.Core.Runs;

/// <summary>What a finished map run leaves behind.</summary>
/// <param name="Map">Coordinates with labels and the dataset index of each point.</param>
/// <param name="Model">The trained network, to place new images into the map.</param>
/// <param name="Metrics">kNN accuracy and silhouette, overall and per class.</param>
/// <param name="Card">The reproducibility card.</param>
public sealed record MapRunArtifacts(MapCoordinates Map, TSimCneModel Model, MetricsReport Metrics, RunCard Card)
{
    /// <summary>The t-SNE of the same images' pixels with its scores, when the run asked for it.</summary>
    public (MapCoordinates Map, MetricsReport Metrics)? PixelBaseline { get; init; }
}

/// <summary>Where a map run keeps its checkpoints and writes its artifacts: a folder for the command line, the database for the web app.</summary>
public interface IMapRunSink
{
    /// <summary>Where the trainer saves and finds checkpoints.</summary>
    ICheckpointStore Checkpoints { get; }

    /// <summary>Writes the artifacts of a finished run.</summary>
    void Save(MapRunArtifacts artifacts);
}
