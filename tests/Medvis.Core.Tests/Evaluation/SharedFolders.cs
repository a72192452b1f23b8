namespace Medvis.Core.Tests.Evaluation;

/// <summary>Finds ../shared next to the repository (the folder holding Medvis.Web.sln).</summary>
internal static class SharedFolders
{
    public static string? Find(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Medvis.Web.sln")))
            {
                var path = Path.GetFullPath(Path.Combine(new[] { dir.FullName, "..", "shared" }.Concat(parts).ToArray()));
                return Directory.Exists(path) || File.Exists(path) ? path : null;
            }
        return null;
    }

    public static string MetricFixtures()
    {
        var folder = Find("fixtures", "metrics");
        Skip.If(folder == null, "../shared/fixtures/metrics is absent: scikit-learn agreement cannot be checked.");
        return folder!;
    }
}
