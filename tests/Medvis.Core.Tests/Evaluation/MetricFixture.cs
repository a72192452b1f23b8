using System.Text.Json;

namespace Medvis.Core.Tests.Evaluation;

/// <summary>One scikit-learn 1.2 reference file from ../shared/fixtures/metrics.</summary>
internal sealed class MetricFixture
{
    public required string Name { get; init; }
    public required float[,] Points { get; init; }
    public required int[] Labels { get; init; }
    public required int[] TrainIdx { get; init; }
    public required int[] TestIdx { get; init; }
    public required int K { get; init; }
    public required double KnnAccuracy { get; init; }
    public required int[] KnnPredictions { get; init; }
    public required Dictionary<int, double> KnnPerClassRecall { get; init; }
    public required double SilhouetteScore { get; init; }
    public required double[] SilhouetteSamples { get; init; }
    public required Dictionary<int, double> SilhouettePerClass { get; init; }

    public static IEnumerable<string> Names() =>
        Directory.Exists(Folder()) ? Directory.GetFiles(Folder(), "*.json").Select(Path.GetFileNameWithoutExtension).Order()! : [];

    public static MetricFixture Load(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(MetricFixtures.Folder(), name + ".json")));
        var root = document.RootElement;
        var rows = root.GetProperty("points").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var points = new float[rows.Length, rows[0].Length];
        for (var i = 0; i < rows.Length; i++)
            for (var j = 0; j < rows[i].Length; j++)
                points[i, j] = (float)rows[i][j];
        return new MetricFixture
        {
            Name = name,
            Points = points,
            Labels = Ints(root, "labels"),
            TrainIdx = Ints(root, "train_idx"),
            TestIdx = Ints(root, "test_idx"),
            K = root.GetProperty("k").GetInt32(),
            KnnAccuracy = root.GetProperty("knn_accuracy").GetDouble(),
            KnnPredictions = Ints(root, "knn_predictions"),
            KnnPerClassRecall = PerClass(root, "knn_per_class_recall"),
            SilhouetteScore = root.GetProperty("silhouette").GetDouble(),
            SilhouetteSamples = root.GetProperty("silhouette_samples").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
            SilhouettePerClass = PerClass(root, "silhouette_per_class"),
        };
    }

    private static string Folder() => SharedData.Find("fixtures", "metrics") ?? "";

    private static int[] Ints(JsonElement root, string name) => root.GetProperty(name).EnumerateArray().Select(v => v.GetInt32()).ToArray();

    private static Dictionary<int, double> PerClass(JsonElement root, string name) =>
        root.GetProperty(name).EnumerateObject().ToDictionary(p => int.Parse(p.Name), p => p.Value.GetDouble());
}
