namespace Medvis.Web.Tests.Support;

/// <summary>The real datasets in ../shared/data next to the repository (never copied into it).</summary>
public static class SharedData
{
    /// <summary>The repository root (the folder holding Medvis.Web.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>../shared/data, or null when this machine lacks it.</summary>
    public static string? Folder => Directory.Exists(Path.Combine(RepositoryRoot, "..", "shared", "data"))
        ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"))
        : null;

    /// <summary>A file in ../shared/data; skips the test with a clear message when the folder is absent.</summary>
    public static string File(string name)
    {
        Skip.If(Folder is null, $"../shared/data is absent next to {RepositoryRoot}; this test needs {name} from it.");
        return Path.Combine(Folder!, name);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Medvis.Web.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Medvis.Web.sln above {AppContext.BaseDirectory}.");
    }
}
