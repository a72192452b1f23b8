using System.Text.Json;

namespace Medvis.Core.Tests.Evaluation;

/// <summary>
/// The committed scikit-learn fixtures in tests/Medvis.Core.Tests/ReferenceData (written by
/// make_split_fixtures.py there; the tests only read them).
/// </summary>
internal static class ScikitLearnReference
{
    public static string Folder() => RepositoryRoot.Combine("tests", "Medvis.Core.Tests", "ReferenceData");

    public static JsonDocument Read(string relativePath) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder(), relativePath)));

    public static string[] CaseNames(string subfolder) =>
        Directory.GetFiles(Path.Combine(Folder(), subfolder), "*.json").Order().Select(Path.GetFileNameWithoutExtension).ToArray()!;

    public static TheoryData<string> Cases(string subfolder) => new(CaseNames(subfolder));

    public static int[] Ints(this JsonElement element) => element.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    public static double[] Doubles(this JsonElement element) => element.EnumerateArray().Select(v => v.GetDouble()).ToArray();
}

/// <summary>One labelled 2-D map of ReferenceData/maps and scikit-learn's numbers for it.</summary>
internal sealed record ReferenceMap(
    string Name, float[,] Points, int[] Labels, int K, double TestSize, double KnnAccuracy,
    int[] RepeatedSeeds, double[] RepeatedAccuracies, double RepeatedMean, double RepeatedStd,
    double LeaveOneOutAccuracy, double Silhouette, int SilhouetteSampleSize, double SilhouetteSampled)
{
    public static ReferenceMap Load(string name)
    {
        using var document = ScikitLearnReference.Read(Path.Combine("maps", name + ".json"));
        var root = document.RootElement;
        var rows = root.GetProperty("points").EnumerateArray().ToArray();
        var points = new float[rows.Length, 2];
        for (var i = 0; i < rows.Length; i++)
        {
            // scikit-learn scored float64 → float32 → float64 coordinates, as a map stores them.
            points[i, 0] = (float)rows[i][0].GetDouble();
            points[i, 1] = (float)rows[i][1].GetDouble();
        }
        return new ReferenceMap(name, points, root.GetProperty("labels").Ints(), root.GetProperty("k").GetInt32(),
            root.GetProperty("test_size").GetDouble(), root.GetProperty("knn_accuracy").GetDouble(),
            root.GetProperty("repeated_seeds").Ints(), root.GetProperty("repeated_accuracies").Doubles(),
            root.GetProperty("repeated_mean").GetDouble(), root.GetProperty("repeated_std").GetDouble(),
            root.GetProperty("loo_accuracy").GetDouble(), root.GetProperty("silhouette").GetDouble(),
            root.GetProperty("silhouette_sample_size").GetInt32(), root.GetProperty("silhouette_sampled").GetDouble());
    }
}
