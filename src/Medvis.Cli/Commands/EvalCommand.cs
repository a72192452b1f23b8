using System.CommandLine;
using Medvis.Core.Evaluation;

namespace Medvis.Cli.Commands;

/// <summary><c>medvis eval --coords coords.csv [--labels labels.csv] [--out metrics.json]</c>: metrics of a saved map.</summary>
public static class EvalCommand
{
    /// <summary>Builds the <c>eval</c> verb.</summary>
    public static Command Create()
    {
        var coords = new Option<FileInfo>("--coords") { Description = "Map to score: CSV with columns index,label,class,x,y (as medvis train writes).", Required = true };
        var labels = new Option<FileInfo?>("--labels") { Description = "CSV with a 'label' column (optional 'index', 'class') replacing the map's own labels." };
        var output = new Option<FileInfo?>("--out") { Description = "Write the metrics JSON here instead of to standard output." };
        var k = new Option<int>("--k") { Description = "Neighbours in the kNN vote.", DefaultValueFactory = _ => KnnEvaluation.DefaultK };
        var seed = new Option<int>("--seed") { Description = "Seed of the stratified 9:1 split (scikit-learn's train_test_split random_state).", DefaultValueFactory = _ => TrainTestSplit.DefaultSeed };
        var command = new Command("eval",
            "kNN accuracy (k=15; scikit-learn's stratified 9:1 split, mean ± sd over the splits of seeds 0-9, and leave-one-out) " +
            "and silhouette of a 2-D map, overall and per class.")
        {
            coords, labels, output, k, seed,
        };
        command.SetAction(parse => Run(
            parse.GetValue(coords)!, parse.GetValue(labels), parse.GetValue(output), parse.GetValue(k), parse.GetValue(seed)));
        return command;
    }

    private static int Run(FileInfo coordsFile, FileInfo? labelsFile, FileInfo? outputFile, int k, int seed)
    {
        try
        {
            if (k < 1) throw new ArgumentException($"--k must be at least 1, got {k}.");
            var map = CoordsCsv.Read(coordsFile.FullName);
            if (labelsFile != null) map = CoordsCsv.WithLabelsFrom(map, labelsFile.FullName);
            var report = MapEvaluator.Evaluate(map.Coords, map.Labels, map.ClassNames, new MapEvaluationOptions(K: k, SplitSeed: seed));
            if (outputFile == null) Console.Out.WriteLine(report.ToJson());
            else
            {
                File.WriteAllText(outputFile.FullName, report.ToJson());
                Console.Error.WriteLine($"{Summary(report)} → {outputFile.FullName}");
            }
            return 0;
        }
        catch (Exception error) when (error is IOException or FormatException or ArgumentException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"medvis eval: {error.Message}");
            return 1;
        }
    }

    /// <summary>One line: kNN on the main split, over the repeated splits, leave-one-out, and the silhouette.</summary>
    public static string Summary(MetricsReport report)
    {
        var parts = new List<string> { FormattableString.Invariant($"kNN accuracy {report.KnnAccuracy:F4} (seed {report.SplitSeed})") };
        if (report.KnnRepeated is { } repeated)
            parts.Add(FormattableString.Invariant(
                $"{repeated.Mean:F4} ± {repeated.StandardDeviation:F4} over {repeated.Seeds.Length} seeded splits"));
        if (report.KnnLeaveOneOut is { } leaveOneOut)
            parts.Add(FormattableString.Invariant($"leave-one-out {leaveOneOut:F4}"));
        parts.Add(FormattableString.Invariant($"silhouette {report.Silhouette:F4}"));
        return string.Join(", ", parts);
    }
}
