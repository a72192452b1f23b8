using Medvis.Core.Evaluation;
using Medvis.Core.Training;

namespace Medvis.Core.Runs;

/// <summary>
/// A run's folder: <c>coords.csv</c>, <c>model.bin</c>, <c>metrics.json</c>, <c>run.json</c> (the card), and its
/// checkpoint in <c>checkpoint/</c>, so a cancelled run resumes when started again into the same folder.
/// </summary>
public sealed class FolderRunSink : IMapRunSink
{
    /// <summary>The file names a run writes.</summary>
    public const string CoordinatesFile = "coords.csv", ModelFile = "model.bin", MetricsFile = "metrics.json", CardFile = "run.json",
        BaselineCoordinatesFile = "baseline-coords.csv", BaselineMetricsFile = "baseline-metrics.json";

    /// <summary>Creates the folder when missing.</summary>
    public FolderRunSink(string folder)
    {
        Folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(Folder);
        Checkpoints = new FolderCheckpointStore(Path.Combine(Folder, "checkpoint"));
    }

    /// <summary>The run's folder (absolute).</summary>
    public string Folder { get; }

    /// <inheritdoc />
    public ICheckpointStore Checkpoints { get; }

    /// <inheritdoc />
    public void Save(MapRunArtifacts artifacts)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        WriteAtomically(CoordinatesFile, path => CoordsCsv.Write(path, artifacts.Map));
        WriteAtomically(ModelFile, path => File.WriteAllBytes(path, artifacts.Model.ToBytes()));
        WriteAtomically(MetricsFile, path => File.WriteAllText(path, artifacts.Metrics.ToJson()));
        WriteAtomically(CardFile, path => File.WriteAllText(path, artifacts.Card.ToJson()));
        if (artifacts.PixelBaseline is { } baseline)
        {
            WriteAtomically(BaselineCoordinatesFile, path => CoordsCsv.Write(path, baseline.Map));
            WriteAtomically(BaselineMetricsFile, path => File.WriteAllText(path, baseline.Metrics.ToJson()));
        }
    }

    // A reader never sees half a file: each is written beside its final name, then moved over it.
    private void WriteAtomically(string name, Action<string> write)
    {
        var path = Path.Combine(Folder, name);
        write(path + ".tmp");
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
