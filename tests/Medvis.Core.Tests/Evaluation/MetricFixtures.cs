namespace Medvis.Core.Tests.Evaluation;

/// <summary>The scikit-learn metric fixtures in ../shared/fixtures/metrics.</summary>
internal static class MetricFixtures
{
    /// <summary>Their folder; skips the test with the reason when ../shared lacks it.</summary>
    public static string Folder()
    {
        var folder = SharedData.Find("fixtures", "metrics");
        Skip.If(folder == null, "../shared/fixtures/metrics is absent: scikit-learn agreement cannot be checked.");
        return folder!;
    }
}
