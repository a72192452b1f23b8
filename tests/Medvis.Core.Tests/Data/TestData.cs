namespace Medvis.Core.Tests.Data;

/// <summary>Finds ../shared/data next to the repository (the folder holding Medvis.Web.sln).</summary>
internal static class TestData
{
    /// <summary>The shared data folder, or null when this checkout has none.</summary>
    public static string? SharedDataFolder { get; } = FindSharedData();

    /// <summary>A file or folder in the shared data folder; skips the test when the folder is absent.</summary>
    public static string Require(string name)
    {
        Skip.If(SharedDataFolder is null, "../shared/data is not present next to the repository; real-data tests skipped.");
        var path = Path.Combine(SharedDataFolder!, name);
        Skip.IfNot(File.Exists(path) || Directory.Exists(path), $"{path} is not present; test skipped.");
        return path;
    }

    private static string? FindSharedData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Medvis.Web.sln"))) continue;
            var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
            return Directory.Exists(shared) ? shared : null;
        }
        return null;
    }
}

/// <summary>A temporary folder deleted at dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("medvis-test-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
